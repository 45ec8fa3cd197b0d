"""Reads for reports: the quadrant board of one plan for one monitoring round."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from actions.models import Action, ActionPlan, MonitoringRound, Outcome, Update
from actions.quadrants import OPEN_QUADRANTS, Quadrant, QuadrantInfo, movement, scale_for
from inspections.models import KINDS_NEEDING_ACTION, Finding
from reports.filters import UPDATE_MISSING, BoardFilterSet
from reports.frozen import (
    frozen_areas,
    frozen_entries,
    frozen_figures_load,
    frozen_filter,
    frozen_record_load,
    is_frozen,
)

#: Northumberland's red quadrant: "time scales ... are within the next 2 months".

#: Rounds whose quadrants the sub-group has agreed: a lead's proposal no longer stands in for an agreement.

_ARROWS = {"improved": "↑", "worse": "↓", "same": "→", "new": "+", "missing": "?"}


@dataclass(frozen=True)
class BoardEntry:
    """One action as the board shows it for the round."""

    action: Action
    #: The quadrant it sits in this round, or None when its update is missing.
    quadrant: QuadrantInfo | None
    #: The quadrant is the lead's proposal, not yet agreed by the sub-group.
    proposed: bool
    #: Complete in an earlier round; no update was needed this round.
    carried_forward: bool
    #: The lead has started an update but not submitted it.
    draft_started: bool
    #: The quadrant agreed in the previous round, if any.
    previous: QuadrantInfo | None
    #: improved, worse, same, new or missing (see actions.quadrants.movement).
    movement: str
    #: There is no earlier round to compare with.
    first_round: bool
    overdue: bool
    due_soon_not_green: bool
    #: Complete as at the round, its re-test due by then and none recorded since (``Action.is_retest_due``).
    retest_due: bool = False
    #: Not implemented, superseded or merged as at the round (``Action.outcome``), with the outcome in words: such an
    #: entry is listed in ``Board.closed``, never in a quadrant nor among the updates missing.
    outcome: str = ""
    outcome_sentence: str = ""

    @property
    def update_missing(self) -> bool:
        return self.quadrant is None and not self.outcome

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.overdue:
            flags.append("Overdue")
        if self.due_soon_not_green:
            flags.append("Due within 2 months and not green")
        if self.update_missing:
            flags.append("Update missing")
        if self.retest_due:
            flags.append("Re-test due")
        return flags

    @property
    def arrow(self) -> str:
        return _ARROWS[self.movement]

    @property
    def movement_text(self) -> str:
        """The movement in words, so the arrow is never the only cue."""
        if self.movement == "improved":
            return f"Improved (was {self.previous.label})"
        if self.movement == "worse":
            return f"Worse (was {self.previous.label})"
        if self.movement == "same":
            return "No change"
        if self.movement == "new":
            return "New: first round" if self.first_round else "New: no quadrant last round"
        return "Not known: no quadrant this round"


@dataclass
class QuadrantGroup:
    info: QuadrantInfo
    entries: list[BoardEntry] = field(default_factory=list)
    #: Actions of the whole round in this quadrant, whatever the filters.
    round_count: int = 0

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def shown(self) -> list[BoardEntry]:
        """The entries the board lists: the first ``settings.BOARD_QUADRANT_LIMIT`` (the list view pages all)."""
        return self.entries[: settings.BOARD_QUADRANT_LIMIT]

    @property
    def more(self) -> int:
        return max(0, len(self.entries) - settings.BOARD_QUADRANT_LIMIT)

    @property
    def proposed_count(self) -> int:
        return sum(1 for entry in self.entries if entry.proposed)


@dataclass(frozen=True)
class Move:
    """Some actions went from one quadrant to another since the previous round."""

    before: QuadrantInfo
    after: QuadrantInfo
    count: int

    @property
    def improved(self) -> bool:
        return self.after.rank < self.before.rank

    @property
    def sentence(self) -> str:
        actions = "action" if self.count == 1 else "actions"
        return f"{self.count} {actions} moved from {self.before.label.lower()} to {self.after.label.lower()}"


@dataclass
class Board:
    plan: ActionPlan
    #: The plan's rounds, oldest first.
    rounds: list[MonitoringRound]
    #: The round shown (None while the plan has no round).
    monitoring_round: MonitoringRound | None
    previous_round: MonitoringRound | None
    scale: dict[str, QuadrantInfo]
    filterset: BoardFilterSet
    #: The actions shown (all of them, or those the filters keep), in plan order.
    entries: list[BoardEntry]
    #: The four open quadrants in Appendix A order: green, yellow / amber, red.
    quadrants: list[QuadrantGroup]
    complete: QuadrantGroup
    missing: list[BoardEntry]
    moves: list[Move]
    movement_counts: Counter
    #: Every action in the plan, whatever the filters.
    total: int
    #: Actions of the whole plan agreed complete in (or before) this round.
    complete_total: int
    #: Quadrant -> actions of the whole plan in it this round, whatever the filters.
    counts_all: Counter
    #: The day the flags are true of: the round's meeting once agreed, today while it is live.
    as_at: datetime.date
    #: Read from the endorsed round's snapshot, not from today's rows.
    frozen: bool = False
    #: An endorsed round's areas and their sign-offs as it recorded them (reports.sign_offs.AreaSignOff);
    #: None when they are read from today's rows.
    frozen_areas: list[Any] | None = None
    #: Actions not implemented, superseded or merged as at the round (those the filters keep): no round asks about
    #: them, and the figures do not count them (``closed_counts``).
    closed: list[BoardEntry] = field(default_factory=list)
    #: Outcome -> actions of the whole round closed that way, whatever the filters.
    closed_counts: dict[str, int] = field(default_factory=dict)
    #: An endorsed round's re-tests as it recorded them (:func:`retests_as_at`); None when read from today's rows.
    frozen_retests: list[dict[str, Any]] | None = None

    @property
    def shown(self) -> int:
        return len(self.entries)

    @property
    def missing_shown(self) -> list[BoardEntry]:
        """The entries without a quadrant that the board lists (``settings.BOARD_QUADRANT_LIMIT``)."""
        return self.missing[: settings.BOARD_QUADRANT_LIMIT]

    @property
    def missing_more(self) -> int:
        return max(0, len(self.missing) - settings.BOARD_QUADRANT_LIMIT)

    @property
    def closed_shown(self) -> list[BoardEntry]:
        return self.closed[: settings.BOARD_QUADRANT_LIMIT]

    @property
    def closed_more(self) -> int:
        return max(0, len(self.closed) - settings.BOARD_QUADRANT_LIMIT)

    @property
    def worst_first(self) -> list[QuadrantGroup]:
        """The open quadrants worst first, then complete: the order of the board's jump links and filter."""
        return [*reversed(self.quadrants), self.complete]

    @property
    def missing_total(self) -> int:
        """Actions of the whole round without a quadrant, whatever the filters."""
        return self.total - sum(self.counts_all.values())

    @property
    def chosen_quadrant_labels(self) -> list[str]:
        """The quadrants the filter keeps, in the partnership's words (empty when it keeps every one)."""
        return [label for _, label in self.filterset.chosen_quadrants]

    @property
    def is_filtered(self) -> bool:
        return self.filterset.is_filtering

    @property
    def complete_percent(self) -> int:
        """Cheshire East's "N% of actions complete": complete over every action the round covers."""
        return self.figures.complete_percent

    @property
    def figures(self) -> RoundFigures:
        """The round's figures, plan-wide whatever the filters: what every page and output quotes."""
        return RoundFigures(
            monitoring_round=self.monitoring_round,
            counts=dict(self.counts_all),
            total=self.total,
            complete=self.complete_total,
            as_at=self.as_at,
            closed=dict(self.closed_counts),
        )

    @property
    def round_settled(self) -> bool:
        return self.monitoring_round is not None and self.monitoring_round.is_settled


@dataclass(frozen=True)
class RoundFigures:
    """A round's figures as at the round: counts per quadrant, complete and the percentage with its denominator.

    The one source of the numbers quoted about a round: the home page, the board and its list view, the
    committee report and the exports all take them from :func:`round_figures` (or ``Board.figures``).
    The denominator is every action the round covers: for an agreed round, the actions it agreed (one
    added to the plan later is not counted); for a live round, every action in the plan now. An action not
    implemented, superseded or merged as at the round is not complete and not in the denominator: ``closed``
    counts them by outcome, and the denominator's words say so.
    """

    monitoring_round: MonitoringRound | None
    counts: dict[str, int]
    total: int
    complete: int
    as_at: datetime.date
    closed: dict[str, int] = field(default_factory=dict)

    @property
    def complete_percent(self) -> int:
        return round(100 * self.complete / self.total) if self.total else 0

    @property
    def denominator(self) -> str:
        """The percentage's denominator in words, e.g. "10 of the 22 actions in the plan at May 2020"."""
        at = f" at {self.monitoring_round.label}" if self.monitoring_round is not None else ""
        words = f"{self.complete} of the {self.total} action{'s' if self.total != 1 else ''} in the plan{at}"
        return f"{words}, not counting {self.closed_words}" if self.closed_words else words

    @property
    def closed_words(self) -> str:
        """The actions closed without completion, in words: "2 not implemented and 1 superseded or merged"."""
        not_implemented = self.closed.get(Outcome.NOT_IMPLEMENTED, 0)
        replaced = self.closed.get(Outcome.SUPERSEDED, 0) + self.closed.get(Outcome.MERGED, 0)
        parts = [f"{not_implemented} not implemented"] if not_implemented else []
        parts += [f"{replaced} superseded or merged"] if replaced else []
        return " and ".join(parts)


def round_figures(plan: ActionPlan, monitoring_round: MonitoringRound | None = None) -> RoundFigures:
    """The figures of one round of a plan (the latest by default), from the same reading as the board."""
    return board_for(plan, monitoring_round).figures


def board_for(
    plan: ActionPlan,
    monitoring_round: MonitoringRound | None = None,
    filters: Mapping[str, Any] | None = None,
    *,
    read_snapshot: bool = True,
) -> Board:
    """The quadrant board of a plan for one of its rounds (the latest by default).

    The caller passes a plan (with its inspection) and a round it has already
    fetched for the user, scoped to their partnership and checked; the board
    reads nothing outside that plan. Every action is placed by the
    sub-group's agreed quadrant; while the round is not yet agreed, a
    submitted proposal stands in (marked as proposed); otherwise its update is
    missing. Movement is measured against the agreed quadrants of the round
    before. ``filters`` (e.g. ``request.GET``) narrow the actions shown;
    totals and the completion figure stay plan-wide.

    An endorsed round is read only from the snapshot taken when the board
    endorsed it (reports.frozen): later edits to actions never change it.
    ``read_snapshot=False`` reads today's rows instead: only for taking the snapshot.

    Six queries at most, however many actions and rounds the plan has.
    Raises ValueError for a round that is not the plan's.
    """
    rounds = list(MonitoringRound.objects.filter(plan=plan).order_by("period_end"))
    monitoring_round, previous_round = _round_and_previous(rounds, monitoring_round)
    # Flags are as at the round (its meeting, once agreed); only a live round is read as at today.
    as_at = monitoring_round.as_at if monitoring_round is not None else timezone.localdate()
    scale = scale_for(plan.inspection.partnership_id)
    areas = list(
        Finding.objects.filter(
            inspection_id=plan.inspection_id,
            kind__in=KINDS_NEEDING_ACTION,
        )
        .select_related("inspection")
        .order_by("-kind", "number")  # priority areas for action first
    )
    snapshot = endorsed_snapshot(monitoring_round) if read_snapshot else None
    if snapshot is not None:
        return _frozen_board(plan, rounds, monitoring_round, previous_round, scale, areas, snapshot, filters)

    actions = list(
        Action.objects.filter(plan=plan)
        .with_retested(as_at)
        .select_related("not_implemented_agreed_by__user", "replaced_by__plan")
        .order_by("position", "id")
    )
    _attach_leads(plan, actions)
    filterset = BoardFilterSet(
        filters or None,
        queryset=Action.objects.filter(plan=plan),
        agencies=sorted({(a.lead_agency_id, a.lead_agency.name) for a in actions}, key=lambda pair: pair[1]),
        leads=sorted({(a.lead_id, a.lead.name) for a in actions}, key=lambda pair: pair[1]),
        areas=areas,
        quadrants=_quadrant_choices(scale),
        today=as_at,
        regime=plan.inspection.regime,
    )
    shown_pks = set(filterset.qs.order_by().values_list("pk", flat=True)) if filterset.narrows_actions else None

    current_rows: dict[int, tuple[str, str, str, bool]] = {}
    previous_quadrants: dict[int, str] = {}
    round_ids = [r.pk for r in (monitoring_round, previous_round) if r is not None]
    if round_ids:
        # Unordered: Update's default ordering (round, then action) would join four tables only to sort rows
        # that go into a dict, and make PostgreSQL sort them (bench/national.py).
        rows = (
            Update.objects.filter(round_id__in=round_ids)
            .order_by()
            .values_list("action_id", "round_id", "status", "agreed_quadrant", "proposed_quadrant", "carried_forward")
        )
        for action_id, round_id, status, agreed, proposed, carried in rows:
            if round_id == monitoring_round.pk:
                current_rows[action_id] = (status, agreed, proposed, carried)
            elif agreed:
                previous_quadrants[action_id] = agreed

    settled = monitoring_round is not None and monitoring_round.is_settled
    if settled:
        # A closed round covers the actions it agreed (round_close gives every one an update): an action added to the
        # plan later is not part of what that round said, nor of its totals. One it did not ask about because it was
        # not implemented, superseded or merged by its meeting is listed as such.
        # (An update it had that was never agreed, because the decision came first, does not keep it on the board.)
        closed_actions = [
            action
            for action in actions
            if action.is_decided_not_to_complete
            and action.outcome_on <= as_at
            and current_rows.get(action.pk, ("",))[0] != Update.Status.AGREED
        ]
        closed_pks = {action.pk for action in closed_actions}
        actions = [action for action in actions if action.pk in current_rows and action.pk not in closed_pks]
    else:
        # A live round asks about the actions still in the plan (Action.is_asked_about): a withdrawn one is kept, not
        # asked about; one not implemented, superseded or merged is listed as such.
        closed_actions = [action for action in actions if action.is_decided_not_to_complete]
        actions = [action for action in actions if action.is_asked_about]
    entries: list[BoardEntry] = []
    complete_total = 0
    counts_all: Counter = Counter()
    for action in actions:
        entry = _entry(
            action,
            current_rows.get(action.pk),
            previous_quadrants.get(action.pk, ""),
            scale=scale,
            settled=settled,
            first_round=previous_round is None,
            as_at=as_at,
        )
        if entry.quadrant is not None:
            counts_all[entry.quadrant.key] += 1
        if entry.quadrant is not None and entry.quadrant.key == Quadrant.COMPLETE and not entry.proposed:
            complete_total += 1
        if shown_pks is None or action.pk in shown_pks:
            entries.append(entry)
    closed = [
        _closed_entry(action, previous_quadrants.get(action.pk, ""), scale=scale, first_round=previous_round is None)
        for action in closed_actions
        if shown_pks is None or action.pk in shown_pks
    ]

    return _board(
        plan,
        rounds,
        monitoring_round,
        previous_round,
        scale,
        filterset,
        entries,
        total=len(actions),
        complete_total=complete_total,
        counts_all=counts_all,
        as_at=as_at,
        closed=closed,
        closed_counts=dict(Counter(action.outcome for action in closed_actions)),
    )


def _attach_leads(plan: ActionPlan, actions: list[Action]) -> None:
    """Each action's lead (with their account) and lead agency, read once each rather than joined to every action:
    a plan's hundreds of actions share a few dozen leads and agencies. Two queries."""
    from inspections.models import Agency
    from people.models import Person

    in_plan = Action.objects.filter(plan=plan)
    leads = {p.pk: p for p in Person.objects.filter(pk__in=in_plan.values("lead_id")).select_related("user")}
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=in_plan.values("lead_agency_id"))}
    lead_field, agency_field = Action._meta.get_field("lead"), Action._meta.get_field("lead_agency")
    for action in actions:
        lead_field.set_cached_value(action, leads[action.lead_id])
        agency_field.set_cached_value(action, agencies[action.lead_agency_id])


def _quadrant_choices(scale: dict[str, QuadrantInfo]) -> list[tuple[str, str]]:
    """The quadrant filter's choices in the partnership's words, worst first, then complete and update missing."""
    return [(key, scale[key].label) for key in [*reversed(OPEN_QUADRANTS), Quadrant.COMPLETE]] + [
        (UPDATE_MISSING, "Update missing")
    ]


def _board(plan, rounds, monitoring_round, previous_round, scale, filterset, entries, **totals) -> Board:
    """Group the entries the filters keep by quadrant; the quadrant filter is applied here, to both kinds of board."""
    chosen = {key for key, _ in filterset.chosen_quadrants}
    if chosen:
        entries = [entry for entry in entries if (entry.quadrant.key if entry.quadrant else UPDATE_MISSING) in chosen]
        totals["closed"] = []  # closed without completion: in no quadrant
    counts_all = totals["counts_all"]
    quadrants = {
        key: QuadrantGroup(scale[key], round_count=counts_all[key]) for key in [*OPEN_QUADRANTS, Quadrant.COMPLETE]
    }
    missing = []
    for entry in entries:
        if entry.quadrant is None:
            missing.append(entry)
        else:
            quadrants[entry.quadrant.key].entries.append(entry)
    return Board(
        plan=plan,
        rounds=rounds,
        monitoring_round=monitoring_round,
        previous_round=previous_round,
        scale=scale,
        filterset=filterset,
        entries=entries,
        quadrants=[quadrants[key] for key in OPEN_QUADRANTS],
        complete=quadrants[Quadrant.COMPLETE],
        missing=missing,
        moves=_moves(entries),
        movement_counts=Counter(entry.movement for entry in entries),
        **totals,
    )


def endorsed_snapshot(monitoring_round: MonitoringRound | None) -> dict[str, Any] | None:
    """The frozen board of an endorsed round (loaded only for the round shown), or None."""
    if monitoring_round is None or not monitoring_round.is_endorsed:
        return None
    snapshot = frozen_record_load(monitoring_round)
    return snapshot if is_frozen(snapshot) else None


def _frozen_board(plan, rounds, monitoring_round, previous_round, scale, areas, snapshot, filters) -> Board:
    """The board exactly as the round's endorsement froze it; filters apply to that record."""
    all_entries = frozen_entries(snapshot, scale)
    actions = [entry.action for entry in all_entries]
    recorded_areas = frozen_areas(snapshot)
    if recorded_areas is not None:  # filter by the areas the round recorded, in its words
        areas = [row.area for row in recorded_areas]
    as_at = datetime.date.fromisoformat(snapshot["as_at"]) if snapshot.get("as_at") else monitoring_round.as_at
    filterset = BoardFilterSet(
        filters or None,
        queryset=Action.objects.none(),
        agencies=sorted({(a.lead_agency_id, a.lead_agency.name) for a in actions}, key=lambda pair: pair[1]),
        leads=sorted({(a.lead_id, a.lead.name) for a in actions}, key=lambda pair: pair[1]),
        areas=areas,
        quadrants=_quadrant_choices(scale),
        today=as_at,
        regime=plan.inspection.regime,
    )
    all_closed = frozen_entries(snapshot, scale, key="closed")
    shown = frozen_filter(all_entries + all_closed, filterset.form.cleaned_data) if filterset.narrows_actions else None
    entries = [entry for entry in all_entries if shown is None or entry.action.pk in shown]
    return _board(
        plan,
        rounds,
        monitoring_round,
        previous_round,
        scale,
        filterset,
        entries,
        total=snapshot["total"],
        complete_total=snapshot["complete"],
        counts_all=Counter(entry.quadrant.key for entry in all_entries if entry.quadrant is not None),
        as_at=as_at,
        frozen=True,
        frozen_areas=recorded_areas,
        closed=[entry for entry in all_closed if shown is None or entry.action.pk in shown],
        closed_counts=dict(Counter(entry.outcome for entry in all_closed)),
        # A record from before re-tests holds none: it is never read from today's rows.
        frozen_retests=snapshot.get("retests", []),
    )


def retests_as_at(plan: ActionPlan, as_at: datetime.date) -> list[dict[str, Any]]:
    """The impact re-tests of the plan's actions dated on or before ``as_at``, oldest first, as JSON-ready rows
    (what an endorsed round freezes and the committee report lists). One query."""
    from actions.models import Retest

    return [
        {
            "action_id": retest.action_id,
            "reference": retest.action.reference,
            "description": retest.action.description,
            "tested_on": retest.tested_on.isoformat(),
            "result": retest.result,
            "result_label": retest.get_result_display(),
            "evidence": retest.evidence,
        }
        for retest in Retest.objects.filter(action__plan=plan, tested_on__lte=as_at)
        .select_related("action")
        .order_by("tested_on", "id")
    ]


def _round_and_previous(
    rounds: list[MonitoringRound], wanted: MonitoringRound | None
) -> tuple[MonitoringRound | None, MonitoringRound | None]:
    """The round asked for (or the latest) and the one with the latest period end before it."""
    if wanted is None:
        if not rounds:
            return None, None
        index = len(rounds) - 1
    else:
        index = next((i for i, r in enumerate(rounds) if r.pk == wanted.pk), None)
        if index is None:
            raise ValueError(f"{wanted.label} is not a round of this plan.")
    return rounds[index], rounds[index - 1] if index > 0 else None


def _entry(
    action: Action,
    row: tuple[str, str, str, bool] | None,
    previous: str,
    *,
    scale: dict[str, QuadrantInfo],
    settled: bool,
    first_round: bool,
    as_at: datetime.date,
) -> BoardEntry:
    quadrant, proposed, carried, draft = "", False, False, False
    if row is not None:
        status, agreed, proposal, carried = row
        draft = status == Update.Status.DRAFT
        if agreed:
            quadrant = agreed
        elif not settled and status == Update.Status.SUBMITTED and proposal:
            quadrant, proposed = proposal, True
    if not quadrant and (previous == Quadrant.COMPLETE or (not settled and action.is_complete)):
        # Agreed complete before: it stays complete without an update (round_close carries it forward).
        quadrant, carried = Quadrant.COMPLETE, True

    # As at the round: a settled round knows what it agreed; only a live round may read today's row.
    complete = quadrant == Quadrant.COMPLETE or (not settled and action.is_complete)
    return BoardEntry(
        action=action,
        quadrant=scale[quadrant] if quadrant else None,
        proposed=proposed,
        carried_forward=carried,
        draft_started=draft and not quadrant,
        previous=scale[previous] if previous else None,
        movement=movement(previous, quadrant),
        first_round=first_round,
        overdue=action.is_overdue(as_at, complete=complete),
        due_soon_not_green=action.is_due_soon(as_at, complete=complete) and quadrant != Quadrant.GREEN,
        retest_due=action.is_retest_due(as_at, retested=action.retested, complete=complete and not proposed),
    )


def _closed_entry(action: Action, previous: str, *, scale: dict[str, QuadrantInfo], first_round: bool) -> BoardEntry:
    """An action not implemented, superseded or merged as at the round: listed in words, in no quadrant."""
    return BoardEntry(
        action=action,
        quadrant=None,
        proposed=False,
        carried_forward=False,
        draft_started=False,
        previous=scale[previous] if previous else None,
        movement=movement(previous, ""),
        first_round=first_round,
        overdue=False,
        due_soon_not_green=False,
        outcome=action.outcome,
        outcome_sentence=action.outcome_sentence(),
    )


def _moves(entries: list[BoardEntry]) -> list[Move]:
    """Actions that changed quadrant, grouped by (before, after): improvements first, best destination first."""
    pairs = Counter(
        (entry.previous.key, entry.quadrant.key)
        for entry in entries
        if entry.previous and entry.quadrant and entry.previous.key != entry.quadrant.key
    )
    scale = {entry.quadrant.key: entry.quadrant for entry in entries if entry.quadrant}
    scale.update({entry.previous.key: entry.previous for entry in entries if entry.previous})
    moves = [Move(scale[before], scale[after], count) for (before, after), count in pairs.items()]
    return sorted(moves, key=lambda m: (not m.improved, m.after.rank, m.before.rank))


# The home page's reads for officers and everyone -------------------------------------------------------


def endorsed_figures(rounds: list[MonitoringRound]) -> dict[int, RoundFigures]:
    """The figures of endorsed rounds, by round id, read from their frozen records' figures in one query.

    The same numbers ``board_for(plan, round).figures`` gives (the record's totals and each action's
    quadrant as the endorsement froze them); a round whose record predates the frozen board is read
    through :func:`round_figures` instead.
    """
    endorsed = {r.pk: r for r in rounds if r.is_endorsed}
    recorded = frozen_figures_load(endorsed)
    figures = {}
    for pk, monitoring_round in endorsed.items():
        numbers = recorded.get(pk)
        if not numbers:
            figures[pk] = round_figures(monitoring_round.plan, monitoring_round)
            continue
        figures[pk] = RoundFigures(
            monitoring_round=monitoring_round,
            counts=dict(numbers["counts"]),
            total=numbers["total"],
            complete=numbers["complete"],
            as_at=datetime.date.fromisoformat(numbers["as_at"]) if numbers["as_at"] else monitoring_round.as_at,
            closed=dict(numbers["closed"]),
        )
    return figures


@dataclass
class ReportToWrite:
    """A committee report an officer has to write: for a round agreed or endorsed, not yet published."""

    monitoring_round: MonitoringRound
    #: The draft saved so far, or None when nobody has started it.
    report: Any = None


@dataclass
class CommitteeWork:
    to_write: list[ReportToWrite]
    #: Reports with a committee meeting today or later, soonest first, each with ``latest_version``
    #: (its newest published version number, or None while it is a draft).
    meetings: list[Any]


def committee_work(partnership: Any, today: datetime.date) -> CommitteeWork:
    """An officer's committee reports: the latest agreed round of each active plan whose report is not
    published, and every other draft, oldest round first; and the meetings coming. Two queries."""
    from django.db.models import Max

    from actions.models import ActionPlan
    from reports.models import CommitteeReport

    reports = list(
        CommitteeReport.objects.for_partnership(partnership)
        .select_related("round__plan")
        .annotate(latest_version=Max("versions__version"))
        .order_by("round__period_end", "pk")
    )
    by_round = {report.round_id: report for report in reports}
    latest_settled: dict[int, MonitoringRound] = {}
    for monitoring_round in (
        MonitoringRound.objects.for_partnership(partnership)
        .settled()
        .filter(plan__status=ActionPlan.Status.ACTIVE)
        .select_related("plan")
        .order_by("period_end")
    ):
        latest_settled[monitoring_round.plan_id] = monitoring_round
    wanted = {r.pk: r for r in latest_settled.values()}
    wanted.update({report.round_id: report.round for report in reports if report.latest_version is None})
    to_write = [
        ReportToWrite(monitoring_round=r, report=by_round.get(r.pk))
        for r in sorted(wanted.values(), key=lambda r: (r.period_end, r.pk))
        if by_round.get(r.pk) is None or by_round[r.pk].latest_version is None
    ]
    meetings = sorted(
        (report for report in reports if report.meeting_date and report.meeting_date >= today),
        key=lambda report: (report.meeting_date, report.pk),
    )
    return CommitteeWork(to_write=to_write, meetings=meetings)


def published_reports(partnership: Any) -> dict[int, list[Any]]:
    """Each published committee report's latest version, by plan id, newest round first. One query; the
    stored HTML, PDF and figures are not loaded."""
    from reports.models import PublishedReport

    latest: dict[int, Any] = {}
    for version in (
        PublishedReport.objects.for_partnership(partnership)
        .select_related("report__round")
        .defer("html", "figures")
        .order_by("-report__round__period_end", "report_id", "-version")
    ):
        latest.setdefault(version.report_id, version)
    by_plan: dict[int, list[Any]] = {}
    for version in latest.values():
        by_plan.setdefault(version.report.plan_id, []).append(version)
    return by_plan
