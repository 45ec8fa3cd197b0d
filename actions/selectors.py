"""Reads about plans, actions and rounds. Every function is scoped to a user."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch

from actions.models import Action, ActionPlan, ImpactMeasure, MonitoringRound, Update
from actions.quadrants import Quadrant
from inspections.models import Finding


@dataclass
class PlanSummary:
    plan: ActionPlan
    action_count: int
    latest_round: MonitoringRound | None
    #: Agreed quadrant -> number of actions, for the latest round.
    counts: Counter = field(default_factory=Counter)

    @property
    def complete_percent(self) -> int:
        if not self.action_count:
            return 0
        return round(100 * self.counts.get(Quadrant.COMPLETE, 0) / self.action_count)


def plan_summaries(user: Any) -> list[PlanSummary]:
    """The user's partnership's plans, newest inspection first, with the latest round's counts.

    Three queries whatever the number of plans, rounds or actions.
    """
    plans = list(
        ActionPlan.objects.visible_to(user)
        .select_related("inspection")
        .annotate(action_count=Count("actions", distinct=True))
        .prefetch_related(Prefetch("rounds", queryset=MonitoringRound.objects.order_by("-period_end")))
    )
    latest = {plan.pk: next(iter(plan.rounds.all()), None) for plan in plans}
    counts: dict[int, Counter] = {}
    rows = (
        Update.objects.filter(round__in=[r for r in latest.values() if r is not None])
        .exclude(agreed_quadrant="")
        .values_list("round_id", "agreed_quadrant")
        .annotate(n=Count("id"))
    )
    for round_id, quadrant, n in rows:
        counts.setdefault(round_id, Counter())[quadrant] = n
    return [
        PlanSummary(
            plan=plan,
            action_count=plan.action_count,
            latest_round=latest[plan.pk],
            counts=counts.get(latest[plan.pk].pk, Counter()) if latest[plan.pk] else Counter(),
        )
        for plan in plans
    ]


@dataclass
class AreaActions:
    area: Finding | None
    actions: list[Action]


def plan_detail(user: Any, plan_pk: int) -> dict[str, Any]:
    """One plan with its actions grouped by the area they answer, each with its latest agreed update.

    Raises ActionPlan.DoesNotExist for a plan the user may not see.
    """
    plan = ActionPlan.objects.visible_to(user).select_related("inspection").get(pk=plan_pk)
    rounds = list(plan.rounds.order_by("period_end"))
    latest_round = rounds[-1] if rounds else None
    latest_updates = Update.objects.filter(round=latest_round).select_related("round")
    actions = list(
        Action.objects.filter(plan=plan)
        .select_related("lead__user", "lead_agency")
        .prefetch_related(
            "areas",
            "supporting_agencies",
            Prefetch("updates", queryset=latest_updates, to_attr="latest_updates"),
        )
    )
    groups: dict[int | None, AreaActions] = {}
    areas = (
        plan.inspection.findings.filter(
            kind__in=[Finding.Kind.PRIORITY_ACTION, Finding.Kind.AREA_FOR_IMPROVEMENT]
        ).order_by("-kind", "number")  # priority areas for action first
    )
    for area in areas:
        groups[area.pk] = AreaActions(area=area, actions=[])
    for action in actions:
        action.latest_update = action.latest_updates[0] if action.latest_updates else None
        linked = list(action.areas.all())
        target = groups[linked[0].pk] if linked and linked[0].pk in groups else None
        if target is None:
            target = groups.setdefault(None, AreaActions(area=None, actions=[]))
        target.actions.append(action)
    return {
        "plan": plan,
        "rounds": rounds,
        "latest_round": latest_round,
        "groups": list(groups.values()),
        "action_count": len(actions),
        "impact_measures": ImpactMeasure.objects.filter(plan=plan).prefetch_related("values"),
    }
