"""Where the plan's areas stand on being signed off as addressed, as at a round.

The board's panel, the committee report's sentences and the round exports all read a round's
sign-offs through :func:`round_sign_off_day` and :func:`area_sign_offs`, so a sign-off agreed after a
round's meeting never shows on that round.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils import timezone

from actions.models import MonitoringRound
from inspections.models import KINDS_NEEDING_ACTION, Finding
from inspections.selectors import SignOffState, sign_off_states
from reports.selectors import endorsed_snapshot

if TYPE_CHECKING:
    from reports.selectors import Board


@dataclass(frozen=True)
class SignOffDay:
    """The day a round's sign-offs are read as at, and what it is called."""

    day: datetime.date
    #: What the day is: "the sub-group's meeting", "the end of the period" or "today".
    label: str
    #: For an endorsed round: sign-offs and reopenings recorded after its endorsement are left out.
    known_on: datetime.date | None = None


def round_sign_off_day(monitoring_round: MonitoringRound | None, today: datetime.date | None = None) -> SignOffDay:
    """The day a round reads sign-offs as at: the round's own ``as_at`` (its sub-group meeting, or its period
    end, once settled; today while live). An endorsed round says what the board endorsed: nothing recorded
    after its endorsement counts."""
    today = today or timezone.localdate()
    if monitoring_round is None or not monitoring_round.is_settled:
        return SignOffDay(today, "today")
    known_on = monitoring_round.endorsed_on if monitoring_round.is_endorsed else None
    words = "the sub-group's meeting" if monitoring_round.subgroup_meeting_on else "the end of the period"
    return SignOffDay(monitoring_round.as_at, words, known_on)


@dataclass(frozen=True)
class AreaSignOff:
    #: The finding, or for an endorsed round its words as recorded (reports.frozen.FrozenArea).
    area: Finding | Any
    #: The actions answering the area: those of the round once it is settled, else those of the plan.
    action_count: int
    state: SignOffState | Any


@dataclass(frozen=True)
class AreaSignOffs:
    as_at: SignOffDay
    areas: list[AreaSignOff]

    @property
    def heading(self) -> str:
        """'Priority areas for action', 'Areas for improvement', 'Recommendations', or several, as the plan has
        them, in its regime's words."""
        kinds: list[str] = []
        for row in self.areas:  # in the plan's order: priority areas first
            plural = row.area.kind_plural.lower()
            if plural not in kinds:
                kinds.append(plural)
        return " and ".join(kinds).capitalize()

    @property
    def signed_off_count(self) -> int:
        return sum(1 for row in self.areas if row.state.signed_off)

    def for_area(self, finding_id: int) -> SignOffState:
        return next((row.state for row in self.areas if row.area.pk == finding_id), SignOffState())


def area_sign_offs(board: Board) -> AreaSignOffs:
    """The plan's priority areas for action, then its areas for improvement, each with its action count and
    its sign-off as at the board's round (:func:`round_sign_off_day`). An endorsed round's are read from its
    snapshot: the areas' words and sign-offs as the board endorsed them. Otherwise two queries whatever the
    size of the plan."""
    plan, monitoring_round = board.plan, board.monitoring_round
    as_at = round_sign_off_day(monitoring_round)
    if board.frozen_areas is not None:
        return AreaSignOffs(as_at=as_at, areas=board.frozen_areas)
    answering = Q(actions__plan=plan)
    if monitoring_round is not None and monitoring_round.is_settled:
        answering &= Q(actions__updates__round=monitoring_round)
    areas = list(
        Finding.objects.filter(
            inspection_id=plan.inspection_id,
            kind__in=KINDS_NEEDING_ACTION,
        )
        .select_related("inspection")
        .annotate(action_count=Count("actions", filter=answering, distinct=True))
        .order_by("-kind", "number")  # priority areas for action first, as on the plan page
    )
    states = sign_off_states(plan.inspection, as_at.day, known_on=as_at.known_on)
    return AreaSignOffs(
        as_at=as_at,
        areas=[AreaSignOff(area=area, action_count=area.action_count, state=states[area.pk]) for area in areas],
    )


def priority_area_count(monitoring_round: MonitoringRound) -> int:
    """How many priority areas for action the round speaks of: an endorsed round's as it recorded them. One
    query."""
    snapshot = endorsed_snapshot(monitoring_round)
    recorded = snapshot.get("areas") if snapshot is not None else None
    if isinstance(recorded, list):
        return sum(1 for row in recorded if row.get("kind") == Finding.Kind.PRIORITY_ACTION)
    return Finding.objects.filter(inspection__plan=monitoring_round.plan_id, kind=Finding.Kind.PRIORITY_ACTION).count()
