"""Reads about plans, actions and rounds.

Each takes objects the caller has already fetched within its partnership (a partnership, a plan, a
person): views check access at their edge, so these never re-scope and commands need no stand-in user.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from actions import rounds as rounds_module
from actions.models import Action, ActionPlan, EvidenceFile, ImpactMeasure, MonitoringRound, Outcome, Update
from actions.quadrants import Quadrant
from inspections.models import KINDS_NEEDING_ACTION, Agency, Finding, Partnership
from inspections.selectors import SignOffState, sign_off_states
from jtai_tracker.writes import author_name
from people.models import Person


@dataclass
class PlanSummary:
    plan: ActionPlan
    action_count: int
    #: The newest round, whatever its state (e.g. open for updates).
    latest_round: MonitoringRound | None
    #: The newest round whose quadrants the sub-group has agreed: the figures to quote
    #: (``reports.selectors.round_figures``, the one source of a round's numbers).
    agreed_round: MonitoringRound | None
    #: The newest round the board has endorsed: what a viewer quotes (figures from its frozen record).
    endorsed_round: MonitoringRound | None = None
    figures: Any = None
    #: The latest version of each committee report published about the plan (reports.selectors).
    published: list[Any] = field(default_factory=list)


def plan_summaries(partnership: Partnership | int) -> list[PlanSummary]:
    """The partnership's plans, newest inspection first, with their latest round and latest agreed round.

    Two queries whatever the number of plans or rounds.
    """
    plans = list(
        ActionPlan.objects.for_partnership(partnership)
        .select_related("inspection")
        .annotate(action_count=Count("actions", distinct=True))
        .prefetch_related(Prefetch("rounds", queryset=MonitoringRound.objects.order_by("-period_end")))
    )
    return [
        PlanSummary(
            plan=plan,
            action_count=plan.action_count,
            latest_round=next(iter(plan.rounds.all()), None),
            agreed_round=next((r for r in plan.rounds.all() if r.is_settled), None),
            endorsed_round=next((r for r in plan.rounds.all() if r.is_endorsed), None),
        )
        for plan in plans
    ]


def answered_areas(action: Action) -> list[Finding]:
    """The findings an action answers, priority areas for action first, then by number.

    The one reading of the link between actions and areas: the action's page lists these, and the plan page
    lists the action under each of them. Reads ``action.areas`` (prefetch it for a list).
    """
    return sorted(action.areas.all(), key=lambda area: (area.kind != Finding.Kind.PRIORITY_ACTION, area.number))


@dataclass
class AreaActions:
    area: Finding | None
    actions: list[Action]
    #: Whether the area is signed off as addressed today.
    sign_off: SignOffState = field(default_factory=SignOffState)
    #: How many actions answer it in all: ``actions`` holds the first ``settings.PLAN_PAGE_ACTIONS`` of them.
    total: int = 0

    @property
    def more(self) -> int:
        """Actions answering the area that the plan page leaves to the board's list view and the export."""
        return self.total - len(self.actions)


def plan_detail(plan: ActionPlan) -> dict[str, Any]:
    """One plan with its actions under each area they answer (:func:`answered_areas`), with their latest update.

    Each area carries its sign-off as at today, how many actions answer it, and the first
    ``settings.PLAN_PAGE_ACTIONS`` of them in plan order (a page listing 5,000 actions would be unreadable: the
    board's list view pages through them and the export holds them all). The same queries however many actions.
    """
    limit = settings.PLAN_PAGE_ACTIONS
    rounds = list(plan.rounds.order_by("period_end"))
    latest_round = rounds[-1] if rounds else None
    links = Action.areas.through.objects.filter(action__plan=plan, finding__kind__in=KINDS_NEEDING_ACTION)
    totals: dict[int | None, int] = dict(
        links.order_by().values("finding_id").annotate(n=Count("action_id")).values_list("finding_id", "n")
    )
    answers = Exists(links.filter(action_id=OuterRef("pk")))
    counts = Action.objects.filter(plan=plan).aggregate(all=Count("pk"), unanswered=Count("pk", filter=~Q(answers)))
    totals[None] = counts["unanswered"]
    # The first ``limit`` actions of each area in plan order, numbered by the database (a window per area), and of
    # the actions answering none: fetched in the same query as the actions.
    first_of_each = (
        links.annotate(
            row=Window(RowNumber(), partition_by=F("finding_id"), order_by=[F("action__position"), F("action_id")])
        )
        .filter(row__lte=limit)
        .values("action_id")
    )
    first_unanswered = Action.objects.filter(plan=plan).exclude(answers).order_by("position", "id").values("pk")[:limit]
    latest_updates = Update.objects.filter(round=latest_round).select_related("round")
    actions = list(
        Action.objects.filter(Q(pk__in=first_of_each) | Q(pk__in=first_unanswered))
        .select_related("lead__user", "lead_agency")
        .prefetch_related(
            Prefetch("areas", queryset=Finding.objects.select_related("inspection")),
            Prefetch("updates", queryset=latest_updates, to_attr="latest_updates"),
        )
        .order_by("position", "id")
    )
    groups: dict[int | None, AreaActions] = {}
    areas = (
        plan.inspection.findings.filter(kind__in=KINDS_NEEDING_ACTION).order_by(
            "-kind", "number"
        )  # priority areas for action first
    )
    sign_offs = sign_off_states(plan.inspection, timezone.localdate())
    for area in areas:
        groups[area.pk] = AreaActions(area=area, actions=[], sign_off=sign_offs[area.pk], total=totals.get(area.pk, 0))
    for action in actions:
        action.latest_update = action.latest_updates[0] if action.latest_updates else None
        answering = [groups[area.pk] for area in answered_areas(action) if area.pk in groups]
        if not answering:
            answering = [groups.setdefault(None, AreaActions(area=None, actions=[], total=totals[None]))]
        for group in answering:
            if len(group.actions) < limit:
                group.actions.append(action)
    return {
        "plan": plan,
        "rounds": rounds,
        "latest_round": latest_round,
        "groups": list(groups.values()),
        "action_count": counts["all"],
        "actions_limit": limit,
        "impact_measures": ImpactMeasure.objects.filter(plan=plan).prefetch_related("values"),
    }


@dataclass
class MyActionRow:
    action: Action
    role: str  # "lead" or "supporting"
    open_round: MonitoringRound | None
    current_update: Update | None
    last_agreed: Update | None

    @property
    def is_submitted(self) -> bool:
        return self.current_update is not None and self.current_update.status == Update.Status.SUBMITTED

    @property
    def is_agreed(self) -> bool:
        return self.current_update is not None and self.current_update.status == Update.Status.AGREED

    @property
    def is_complete(self) -> bool:
        """Agreed complete in an earlier round: carried forward, asking nobody for an update."""
        return self.action.is_complete

    @property
    def needs_update(self) -> bool:
        """The lead has an update to write or finish for the open round."""
        return self.open_round is not None and not self.is_complete and not self.is_agreed

    @property
    def to_write(self) -> bool:
        """The update is not started or still a draft: the lead has something to do."""
        return self.needs_update and not self.is_submitted

    @property
    def state(self) -> str:
        """Where the update stands: complete, no_round, not_started, draft, submitted or agreed."""
        if self.is_complete:
            return "complete"
        if self.open_round is None:
            return "no_round"
        return self.current_update.status if self.current_update else "not_started"

    @property
    def update_state(self) -> str:
        """The state in words, as its tag says it."""
        return UPDATE_STATES[self.state]

    @property
    def is_late(self) -> bool:
        """The open round's deadline has passed and the update is not yet submitted."""
        return self.to_write and self.open_round.update_deadline < timezone.localdate()


#: How an update's state is said on a tag: never colour alone.
UPDATE_STATES = {
    "complete": "Complete",
    "no_round": "No round open",
    "not_started": "Not started",
    Update.Status.DRAFT: "In progress",
    Update.Status.SUBMITTED: "Submitted",
    Update.Status.AGREED: "Agreed",
}


@dataclass
class MyActionGroups:
    """A person's actions grouped by what needs doing, each group in the order to do it."""

    #: Updates the person leads and has not submitted: overdue first, then by deadline.
    to_write: list[MyActionRow]
    #: Submitted, waiting for the sense check (the lead may still change them).
    submitted: list[MyActionRow]
    #: Agreed this round, complete already, or no round open: nothing to do now.
    done: list[MyActionRow]
    #: Actions the person's agency supports: the lead writes the update.
    supporting: list[MyActionRow]

    @property
    def leading(self) -> list[MyActionRow]:
        return [*self.to_write, *self.submitted, *self.done]

    @property
    def due_this_round(self) -> list[MyActionRow]:
        """The person's own updates asked for by an open round (to write, submitted or agreed)."""
        return [row for row in self.leading if row.open_round is not None and not row.is_complete]


def my_action_groups(rows: list[MyActionRow]) -> MyActionGroups:
    """:func:`my_actions`' rows grouped by what needs doing."""
    leading = [row for row in rows if row.role == "lead"]
    to_write = sorted(
        (row for row in leading if row.to_write),
        key=lambda row: (not row.is_late, row.open_round.update_deadline),  # stable: plan order within a day
    )
    return MyActionGroups(
        to_write=to_write,
        submitted=[row for row in leading if row.needs_update and row.is_submitted],
        done=[row for row in leading if not row.needs_update],
        supporting=[row for row in rows if row.role == "supporting"],
    )


def my_actions(person: Person) -> list[MyActionRow]:
    """The actions the person leads, then those their agency supports, across their partnership's active plans.

    Five queries whatever the number of actions or rounds.
    """
    actions = list(
        Action.objects.for_partnership(person.partnership_id)
        .current()
        .filter(plan__status=ActionPlan.Status.ACTIVE)
        .filter(Q(lead=person) | Q(supporting_agencies=person.agency))
        .distinct()
        .select_related("plan__inspection", "lead__user", "lead_agency")
        .order_by("plan", "position", "id")
    )
    plan_ids = {action.plan_id for action in actions}
    # The plans' rounds in one query, so the updates are read without joining every round of the country.
    rounds = {r.pk: r for r in MonitoringRound.objects.filter(plan_id__in=plan_ids).order_by("period_end", "pk")}
    open_rounds: dict[int, MonitoringRound] = {}
    for monitoring_round in rounds.values():
        if monitoring_round.takes_updates:
            open_rounds[monitoring_round.plan_id] = monitoring_round  # the latest open round wins
    updates = list(Update.objects.filter(action__in=actions).order_by())
    for update in updates:
        update.round = rounds[update.round_id]
    updates.sort(key=lambda update: (update.round.period_end, update.round_id))
    current: dict[int, Update] = {}
    last_agreed: dict[int, Update] = {}
    for update in updates:
        round_ = open_rounds.get(update.round.plan_id)
        if round_ is not None and update.round_id == round_.pk:
            current[update.action_id] = update
        elif update.agreed_quadrant:
            last_agreed[update.action_id] = update
    return [
        MyActionRow(
            action=action,
            role="lead" if action.lead_id == person.pk else "supporting",
            open_round=open_rounds.get(action.plan_id),
            current_update=current.get(action.pk),
            last_agreed=last_agreed.get(action.pk),
        )
        for action in sorted(actions, key=lambda a: (a.lead_id != person.pk, a.plan_id, a.position, a.pk))
    ]


def update_history(action: Action, exclude_round: MonitoringRound | None = None) -> list[Update]:
    """Earlier rounds' updates on an action, newest first, with who wrote and agreed them."""
    updates = (
        Update.objects.filter(action=action)
        .select_related("round", "submitted_by__user", "agreed_by__user")
        .prefetch_related("files")
        .order_by("-round__period_end")
    )
    if exclude_round is not None:
        updates = updates.exclude(round=exclude_round)
    return list(updates)


@dataclass(frozen=True)
class TimelineEntry:
    when: Any
    who: str
    what: str


_ACTION_FIELDS_IN_TIMELINE = {
    "target_date": "Target date",
    "revised_target_date": "Revised target date",
    "lead": "Lead",
    "lead_agency": "Lead agency",
    "description": "Description",
    "completed_on": "Date completed",
    "withdrawn_on": "Date withdrawn",
    "not_implemented_on": "Date of the meeting that agreed it will not be implemented",
    "replaced_on": "Date of the meeting that agreed it was superseded or merged",
    "retest_due": "Re-test date",
}


def _timeline_change(label: str, old: str, new: str) -> str:
    """A change in words: "Re-test date set to 1 March 2027", "... removed (it was 1 March 2027)", "... changed from
    a to b"."""
    if old == "none":
        return f"{label} set to {new}"
    if new == "none":
        return f"{label} removed (it was {old})"
    return f"{label} changed from {old} to {new}"


def action_timeline(action: Action) -> list[TimelineEntry]:
    """Every change to the action and its updates, newest first, with who made it.

    Read from the change history, so it shows what really happened, not what
    the rows say now.
    """
    from people.models import Person

    entries: list[TimelineEntry] = []
    people = {
        p.pk: p.name for p in Person.objects.filter(partnership_id=action.lead.partnership_id).select_related("user")
    }

    agencies = dict(Agency.objects.filter(partnership_id=action.lead.partnership_id).values_list("pk", "name"))

    def show(field: str, value: Any) -> str:
        if value in (None, ""):
            return "none"
        if field == "lead":
            return people.get(value, "someone else")
        if field == "lead_agency":
            return agencies.get(value, "another agency")
        if isinstance(value, datetime.date):
            return f"{value:%-d %B %Y}"
        return str(value)

    action_records = list(action.history.select_related("history_user__person__user").order_by("history_date"))
    for previous, record in zip([None, *action_records], action_records, strict=False):
        if previous is None:
            entries.append(TimelineEntry(record.history_date, author_name(record), "Action added to the plan"))
            continue
        for change in record.diff_against(previous).changes:
            if change.field in _ACTION_FIELDS_IN_TIMELINE:
                old, new = show(change.field, change.old), show(change.field, change.new)
                label = _ACTION_FIELDS_IN_TIMELINE[change.field]
                entries.append(
                    TimelineEntry(record.history_date, author_name(record), _timeline_change(label, old, new))
                )

    update_records = list(
        Update.history.filter(action_id=action.pk)
        .select_related("history_user__person__user")
        .order_by("id", "history_date")
    )
    rounds = {r.pk: r.label for r in MonitoringRound.objects.filter(plan_id=action.plan_id)}
    last_seen: dict[int, Any] = {}

    def quadrant(key: str) -> str:
        return Quadrant(key).label if key else "none"

    for record in update_records:
        before = last_seen.get(record.id)
        label = rounds.get(record.round_id, "a round")
        if before is None or before.status != record.status:
            if record.status == Update.Status.DRAFT:
                what = f"{label}: update drafted"
            elif record.status == Update.Status.SUBMITTED:
                what = f"{label}: update submitted, proposing {quadrant(record.proposed_quadrant)}"
            else:
                what = f"{label}: quadrant agreed as {quadrant(record.agreed_quadrant)}"
                if record.agreed_reason:
                    what += f" ({record.agreed_reason})"
            entries.append(TimelineEntry(record.history_date, author_name(record), what))
        elif before.agreed_quadrant != record.agreed_quadrant and record.agreed_quadrant:
            entries.append(
                TimelineEntry(
                    record.history_date,
                    author_name(record),
                    f"{label}: agreed quadrant changed from {quadrant(before.agreed_quadrant)} "
                    f"to {quadrant(record.agreed_quadrant)}",
                )
            )
        elif before.requested_target_date != record.requested_target_date and record.requested_target_date:
            entries.append(
                TimelineEntry(
                    record.history_date,
                    author_name(record),
                    f"{label}: new target date of {record.requested_target_date:%-d %B %Y} requested",
                )
            )
        last_seen[record.id] = record
    files = EvidenceFile.history.filter(update__action_id=action.pk, history_type__in=("+", "-")).select_related(
        "history_user__person__user", "update"
    )
    for record in files:
        label = rounds.get(record.update.round_id, "a round")
        done = "attached" if record.history_type == "+" else "removed"
        entries.append(
            TimelineEntry(record.history_date, author_name(record), f"{label}: {record.original_name} {done}")
        )
    for retest in action.retests.select_related("recorded_by__user"):
        entries.append(
            TimelineEntry(
                retest.recorded_at,
                retest.recorded_by.name,
                f"Re-tested on {retest.tested_on:%-d %B %Y}: {retest.get_result_display().lower()}",
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


@dataclass(frozen=True)
class RoundStateGroup:
    """The round's actions in one state: "Not started", "In draft", "Submitted", "Agreed" or complete already."""

    key: str
    label: str
    #: The board's entries (reports.selectors.BoardEntry): each action, its lead and quadrant as at the round.
    entries: list[Any]

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def to_decide(self) -> int:
        """Actions the sub-group agrees a quadrant for this round: all but those complete already."""
        return self.total - self.complete


#: The states the round page lists, in the order a round moves its actions through them.
ROUND_STATE_LABELS = {
    "not_started": "Not started",
    "draft": "In draft",
    "submitted": "Submitted",
    "agreed": "Agreed",
    "complete": "Complete already (carried forward)",
}


@dataclass(frozen=True)
class RoundActions:
    """Where each of the round's actions stands, read as the round's board reads it (its record, if endorsed)."""

    groups: list[RoundStateGroup]
    total: int
    #: Read from the endorsed round's frozen record, not from today's actions.
    frozen: bool
    #: Actions not implemented, superseded or merged as at the round: the round does not ask about them.
    closed_words: str = ""

    def count(self, key: str) -> int:
        return next(group.count for group in self.groups if group.key == key)

    @property
    def shown(self) -> list[RoundStateGroup]:
        """The states some action is in."""
        return [group for group in self.groups if group.count]

    @property
    def undecided(self) -> int:
        """Actions the sub-group has yet to decide (the sense check's rule: agreed, or complete already)."""
        return self.total - self.count("agreed") - self.count("complete")


def _round_state_key(entry: Any) -> str:
    if entry.carried_forward:
        return "complete"
    if entry.quadrant is not None and not entry.proposed:
        return "agreed"
    if entry.proposed:
        return "submitted"
    return "draft" if entry.draft_started else "not_started"


def round_actions(monitoring_round: MonitoringRound) -> RoundActions:
    """The round's actions by where their update stands, with their leads, in plan order within each state.

    Read through the round's board (``reports.selectors.board_for``), so the round page says what the board
    says: the actions a settled round agreed, an endorsed round's frozen record, a live round's actions now.
    The board's queries (six at most), whatever the number of actions.
    """
    from reports.selectors import board_for

    board = board_for(monitoring_round.plan, monitoring_round)
    grouped: dict[str, list[Any]] = {key: [] for key in ROUND_STATE_LABELS}
    for entry in board.entries:
        grouped[_round_state_key(entry)].append(entry)
    return RoundActions(
        groups=[RoundStateGroup(key, label, grouped[key]) for key, label in ROUND_STATE_LABELS.items()],
        total=board.total,
        frozen=board.frozen,
        closed_words=board.figures.closed_words,
    )


@dataclass(frozen=True)
class SenseCheckRow:
    """One action in the sense check: its update this round (if any) and whether the sub-group has decided."""

    action: Action
    update: Update | None

    @property
    def proposed_quadrant(self) -> str:
        """The lead's submitted proposal ("" for no update or a draft): shown to the chair, never pre-selected."""
        update = self.update
        return update.proposed_quadrant if update is not None and update.status != Update.Status.DRAFT else ""

    @property
    def carried_forward(self) -> bool:
        """Agreed complete in an earlier round and given no update: ``round_close`` carries it forward."""
        return self.update is None and self.action.is_complete

    @property
    def decided(self) -> bool:
        return self.carried_forward or (self.update is not None and self.update.status == Update.Status.AGREED)

    @property
    def agreed_quadrant(self) -> str:
        if self.carried_forward:
            return Quadrant.COMPLETE
        return self.update.agreed_quadrant if self.decided else ""


@dataclass(frozen=True)
class SenseCheck:
    """The round's actions in the order the sub-group walks through them, each decided or not."""

    monitoring_round: MonitoringRound
    rows: list[SenseCheckRow]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def decided_count(self) -> int:
        return sum(1 for row in self.rows if row.decided)

    @property
    def undecided(self) -> list[SenseCheckRow]:
        return [row for row in self.rows if not row.decided]

    def index(self, action_pk: int) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.action.pk == action_pk), None)

    def next_undecided(self, after_pk: int | None = None) -> SenseCheckRow | None:
        """The first action still waiting for a decision after ``after_pk`` in meeting order, else before it."""
        start = self.index(after_pk) if after_pk is not None else None
        start = -1 if start is None else start
        ordered = self.rows[start + 1 :] + self.rows[: start + 1]
        return next((row for row in ordered if not row.decided and row.action.pk != after_pk), None)


def sense_check(monitoring_round: MonitoringRound) -> SenseCheck:
    """Every action the round asks about (not withdrawn), in plan order, with its update for the round.

    "Decided" is the rule ``services.round_missing_agreement`` and ``round_close`` apply: an agreed update, or
    an action agreed complete earlier, which closing carries forward. Two queries whatever the plan's size.
    """
    actions = (
        Action.objects.filter(plan_id=monitoring_round.plan_id)
        .current()
        .select_related("lead__user", "lead_agency")
        .order_by("position", "id")
    )
    updates = {
        update.action_id: update
        for update in Update.objects.filter(round=monitoring_round).select_related(
            "round", "submitted_by__user", "agreed_by__user"
        )
    }
    return SenseCheck(
        monitoring_round=monitoring_round,
        rows=[SenseCheckRow(action=action, update=updates.get(action.pk)) for action in actions],
    )


@dataclass
class RoundProgress:
    total: int
    submitted: int
    draft: int
    agreed: int
    #: Complete in an earlier round and given no update in this one: carried forward, nobody asked.
    complete: int = 0

    @property
    def not_started(self) -> int:
        return self.total - self.submitted - self.draft - self.agreed - self.complete

    @property
    def to_decide(self) -> int:
        """Actions the sub-group agrees a quadrant for this round: all but those complete already."""
        return self.total - self.complete


def rounds_progress(rounds: Iterable[MonitoringRound]) -> dict[int, RoundProgress]:
    """:func:`round_progress` of several rounds, by round id: two queries however many rounds and actions."""
    rounds = list(rounds)
    if not rounds:
        return {}
    actions = list(
        Action.objects.filter(plan_id__in={r.plan_id for r in rounds})
        .current()
        .values_list("pk", "plan_id", "completed_on")
    )
    statuses: dict[int, Counter] = {r.pk: Counter() for r in rounds}
    updated: dict[int, set[int]] = {r.pk: set() for r in rounds}
    for round_id, action_id, status in Update.objects.filter(round__in=rounds).values_list(
        "round_id", "action_id", "status"
    ):
        statuses[round_id][status] += 1
        updated[round_id].add(action_id)
    progress = {}
    for monitoring_round in rounds:
        own = [(pk, completed_on) for pk, plan_id, completed_on in actions if plan_id == monitoring_round.plan_id]
        counts = statuses[monitoring_round.pk]
        progress[monitoring_round.pk] = RoundProgress(
            total=len(own),
            submitted=counts[Update.Status.SUBMITTED],
            draft=counts[Update.Status.DRAFT],
            agreed=counts[Update.Status.AGREED],
            complete=sum(1 for pk, done in own if done and pk not in updated[monitoring_round.pk]),
        )
    return progress


# The home page's reads for the chair and the manager ---------------------------------------------------


@dataclass
class RoundForChair:
    """A round the sub-group has work on: decisions to agree, or an agreement waiting for the board."""

    monitoring_round: MonitoringRound
    progress: RoundProgress

    @property
    def decided(self) -> int:
        """As the sense check counts it (:class:`SenseCheck`): agreed this round, or complete already."""
        return self.progress.agreed + self.progress.complete

    @property
    def waiting(self) -> int:
        """Submitted updates with no decision yet."""
        return self.progress.submitted


def rounds_for_chair(partnership: Partnership) -> list[RoundForChair]:
    """The rounds of the partnership's active plans open for decisions (in the sense check first), then
    those agreed and waiting for the board's endorsement, oldest deadline first. Three queries."""
    wanted = [*rounds_module.DECISIONS_OPEN, MonitoringRound.State.AGREED]
    found = list(
        MonitoringRound.objects.for_partnership(partnership)
        .filter(plan__status=ActionPlan.Status.ACTIVE, state__in=wanted)
        .select_related("plan")
        .order_by("update_deadline", "pk")
    )
    progress = rounds_progress(found)
    order = {MonitoringRound.State.SENSE_CHECK: 0, MonitoringRound.State.OPEN: 1, MonitoringRound.State.AGREED: 2}
    found.sort(key=lambda r: order[r.state])
    return [RoundForChair(monitoring_round=r, progress=progress[r.pk]) for r in found]


@dataclass
class LeadsActions:
    """One lead's actions in a round's list (not started, or in draft)."""

    lead: Person
    actions: list[Action]


@dataclass
class RoundToChase:
    """An open round as the manager chases it: how far the updates are, and whose are missing."""

    monitoring_round: MonitoringRound
    progress: RoundProgress
    not_started: list[LeadsActions]
    in_draft: list[LeadsActions]
    #: The latest "Send a reminder now" for the round (``ReminderLog``, with who sent it), or None.
    last_reminder: Any = None

    @property
    def leads_to_remind(self) -> list[Person]:
        """Active leads with an update not yet submitted: whom "Send a reminder now" emails (if they have an
        address; actions.reminders.reminder_send_now decides)."""
        leads = {row.lead.pk: row.lead for row in [*self.not_started, *self.in_draft] if row.lead.is_active}
        return sorted(leads.values(), key=lambda lead: lead.name)

    @property
    def is_late(self) -> bool:
        return self.monitoring_round.update_deadline < timezone.localdate()

    @property
    def last_reminder_sentence(self) -> str:
        """Who last sent a reminder from the home page, and when, in words; empty if nobody has."""
        from actions.reminders import sent_when

        if self.last_reminder is None:
            return ""
        return f"The last reminder was sent {sent_when(self.last_reminder)} by {self.last_reminder.sent_by.name}."


def _by_lead(actions: list[Action]) -> list[LeadsActions]:
    rows: dict[int, LeadsActions] = {}
    for action in actions:
        rows.setdefault(action.lead_id, LeadsActions(lead=action.lead, actions=[])).actions.append(action)
    return sorted(rows.values(), key=lambda row: row.lead.name)


def rounds_to_chase(partnership: Partnership) -> list[RoundToChase]:
    """The partnership's rounds open for updates, soonest deadline first, each with its progress, the actions
    not started and in draft by lead, and the last reminder a manager sent. Six queries however many rounds,
    actions and reminders."""
    from actions.models import ReminderLog

    last_chase = (
        ReminderLog.objects.filter(round=OuterRef("pk"), kind=ReminderLog.Kind.CHASED)
        .order_by("-sent_at", "-pk")
        .values("pk")[:1]
    )
    found = list(
        MonitoringRound.objects.for_partnership(partnership)
        .taking_updates()
        .filter(plan__status=ActionPlan.Status.ACTIVE)
        .select_related("plan")
        .annotate(last_chase_id=Subquery(last_chase))
        .order_by("update_deadline", "pk")
    )
    if not found:
        return []
    progress = rounds_progress(found)
    reminders = ReminderLog.objects.select_related("sent_by__user").in_bulk(
        [r.last_chase_id for r in found if r.last_chase_id]
    )
    statuses = {
        (round_id, action_id): status
        for round_id, action_id, status in Update.objects.filter(round__in=found).values_list(
            "round_id", "action_id", "status"
        )
    }
    asked = list(
        Action.objects.filter(plan_id__in={r.plan_id for r in found})
        .with_outcome(Outcome.OPEN)
        .select_related("lead__user", "lead_agency")
        .order_by("position", "id")
    )
    chased = []
    for monitoring_round in found:
        own = [a for a in asked if a.plan_id == monitoring_round.plan_id]
        state = {a.pk: statuses.get((monitoring_round.pk, a.pk)) for a in own}
        chased.append(
            RoundToChase(
                monitoring_round=monitoring_round,
                progress=progress[monitoring_round.pk],
                not_started=_by_lead([a for a in own if state[a.pk] is None]),
                in_draft=_by_lead([a for a in own if state[a.pk] == Update.Status.DRAFT]),
                last_reminder=reminders.get(monitoring_round.last_chase_id),
            )
        )
    return chased


# Outcomes beyond complete, and impact re-tests -------------------------------------------------------------


def replacement_choices(action: Action) -> list[tuple[str, list[tuple[int, str]]]]:
    """The actions that may supersede ``action`` or take it in (``actions.services.action_replace``'s rule): the
    partnership's actions in any plan, open or complete, not itself; grouped by plan, its own plan first. One query."""
    candidates = (
        Action.objects.for_partnership(action.plan.inspection.partnership_id)
        .with_outcome(Outcome.OPEN, Outcome.COMPLETE)
        .exclude(pk=action.pk)
        .select_related("plan")
        .order_by("plan__title", "plan_id", "position", "id")
    )
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for candidate in candidates:
        words = " ".join(candidate.description.split()[:12])
        label = f"{candidate.reference} {words}{'…' if len(candidate.description.split()) > 12 else ''}"
        groups.setdefault(candidate.plan_id, (candidate.plan.title, []))[1].append((candidate.pk, label))
    own = groups.pop(action.plan_id, None)
    return ([own] if own else []) + list(groups.values())


@dataclass(frozen=True)
class ActionOutcome:
    """What the action page says about how the action ended, or was re-tested, and what its viewer may record."""

    sentence: str
    #: Actions superseded by or merged into this one, with their plans.
    replaces: list[Action]
    retests: list[Any]
    may_decide: bool


def action_outcome(action: Action, *, may_decide: bool) -> ActionOutcome:
    """The action page's outcome panel: the outcome in words (``Action.outcome_sentence``), the actions it replaces
    and its re-tests, oldest first. Two queries; select ``not_implemented_agreed_by__user`` and
    ``replaced_by__plan`` with the action."""
    return ActionOutcome(
        sentence=action.outcome_sentence(),
        replaces=list(action.replaces.select_related("plan").order_by("plan_id", "position", "id")),
        retests=list(action.retests.select_related("recorded_by__user").order_by("tested_on", "id")),
        may_decide=may_decide,
    )
