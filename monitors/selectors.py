"""Reads for outside monitors: whether an account is one, and what they may read (endorsed rounds and
published committee reports of the plans they can see)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from actions.models import ActionPlan, MonitoringRound
from inspections.models import Partnership
from monitors.models import MonitorAccess
from reports.models import PublishedReport


def has_person(user: Any) -> bool:
    """The account is a member of a partnership (a ``people.Person``), active or not."""
    from people.models import Person

    try:
        user.person  # noqa: B018 - cached on the account for later reads
    except Person.DoesNotExist:
        return False
    return True


def is_monitor(user: Any) -> bool:
    """An outside monitor: signed in, no place in any partnership, and given some plan at some time (access
    taken away still makes a monitor, who then sees only their own empty pages)."""
    if not getattr(user, "is_authenticated", False) or has_person(user):
        return False
    # Asked by the wall, the header and the view of one request: kept on the account, as Django keeps its perms.
    cached = getattr(user, "_outside_monitor", None)
    if cached is None:
        cached = user._outside_monitor = MonitorAccess.objects.filter(user=user).exists()
    return cached


def current_plan_ids(user: Any) -> QuerySet:
    """The plans the monitor may read now."""
    return MonitorAccess.objects.of(user).current().values("plan_id")


@dataclass
class PartnershipPlans:
    partnership: Partnership
    accesses: list[MonitorAccess]


def plans_by_partnership(user: Any) -> list[PartnershipPlans]:
    """The monitor's current plans, grouped by partnership (by name), each with the access that gave it. One query."""
    accesses = (
        MonitorAccess.objects.of(user)
        .current()
        .select_related("plan__inspection__partnership", "invited_by__user")
        .order_by("plan__inspection__partnership__name", "plan__title")
    )
    groups: dict[int, PartnershipPlans] = {}
    for access in accesses:
        partnership = access.plan.inspection.partnership
        groups.setdefault(partnership.pk, PartnershipPlans(partnership, [])).accesses.append(access)
    return list(groups.values())


def endorsed_rounds(plan: ActionPlan) -> list[MonitoringRound]:
    """The plan's rounds the partnership board endorsed, newest first: all of a plan's rounds a monitor sees."""
    return list(MonitoringRound.objects.filter(plan=plan, state=MonitoringRound.State.ENDORSED).order_by("-period_end"))


def published_reports(plan: ActionPlan) -> list[PublishedReport]:
    """Every published version of the plan's committee reports, newest first, without their files."""
    return list(
        PublishedReport.objects.filter(report__plan=plan)
        .select_related("report__round")
        .defer("html", "figures")
        .order_by("-published_at", "-pk")
    )


def monitors_of(plan: ActionPlan) -> list[MonitorAccess]:
    """Everyone ever given the plan, current first, with who gave and took it away. One query."""
    return sorted(
        MonitorAccess.objects.filter(plan=plan).select_related("user", "invited_by__user", "revoked_by__user"),
        key=lambda access: (not access.is_current, -access.invited_at.timestamp()),
    )
