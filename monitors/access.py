"""Fetching what an outside monitor reads, and what a manager changes about monitors: scoped and checked in one
place, 404 for anything the user may not see (another partnership's plan, a plan not given or taken away, a
round not endorsed, a report not published), 403 for a member without the right."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from actions.models import ActionPlan, MonitoringRound
from monitors.models import MonitorAccess
from monitors.selectors import current_plan_ids, is_monitor
from reports.models import PublishedReport


def monitor(user: Any) -> Any:
    """The signed-in outside monitor; a member of a partnership is not one (they have their own pages), nor is
    support staff."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not is_monitor(user):
        raise Http404
    return user


def access_plan_for_monitor(user: Any, plan_pk: int) -> ActionPlan:
    """A plan the monitor may read now."""
    return get_object_or_404(
        ActionPlan.objects.select_related("inspection__partnership").filter(pk__in=current_plan_ids(monitor(user))),
        pk=plan_pk,
    )


def access_round_for_monitor(user: Any, plan_pk: int, round_pk: int) -> MonitoringRound:
    """An endorsed round of a plan the monitor may read now."""
    plan = access_plan_for_monitor(user, plan_pk)
    monitoring_round = get_object_or_404(
        MonitoringRound.objects.filter(plan=plan, state=MonitoringRound.State.ENDORSED), pk=round_pk
    )
    monitoring_round.plan = plan
    return monitoring_round


def access_published_for_monitor(user: Any, pk: int) -> PublishedReport:
    """A published version of a committee report of a plan the monitor may read now."""
    return get_object_or_404(
        PublishedReport.objects.select_related("report__plan__inspection__partnership").filter(
            report__plan__in=current_plan_ids(monitor(user))
        ),
        pk=pk,
    )


def access_plan_for_managing_monitors(user: Any, plan_pk: int) -> ActionPlan:
    """A plan of the user's partnership (404 otherwise) whose outside monitors they may manage (403 otherwise)."""
    plan = get_object_or_404(ActionPlan.objects.visible_to(user).select_related("inspection__partnership"), pk=plan_pk)
    if not user.has_perm("monitors.manage", plan):
        raise PermissionDenied
    return plan


def access_monitor_for_removal(user: Any, pk: int) -> MonitorAccess:
    """A current access to a plan of the user's partnership (404 otherwise, and once removed) that they may remove."""
    access = get_object_or_404(
        MonitorAccess.objects.visible_to(user).current().select_related("user", "plan__inspection__partnership"),
        pk=pk,
    )
    if not user.has_perm("monitors.manage", access.plan):
        raise PermissionDenied
    return access
