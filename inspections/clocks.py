"""A source's statutory clocks on a given day: when each is due, the days left, and where it stands in words.

Each clock of the source's regime (``inspections/regimes.toml``) runs from an event's date to a deadline
(a length in working days, calendar days or months after it, or a date the asker set) and is met by another
event's date, both read from the source (:meth:`Inspection.event_date`). The day is always passed in, so a
page, the home and the reminders all say the same thing on the same day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q

from inspections.regimes import Clock, regime
from inspections.working_days import add_working_days, working_days_between


class State:
    RUNNING = "running"
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    MET = "met"
    MISSED = "missed"
    NOT_STARTED = "not_started"
    NOT_APPLICABLE = "not_applicable"


#: Each state's GOV.UK tag: its words are always shown with it, so colour never carries it alone.
TAGS = {
    State.RUNNING: ("Running", "govuk-tag--blue"),
    State.DUE_SOON: ("Due soon", "govuk-tag--yellow"),
    State.DUE_TODAY: ("Due today", "govuk-tag--orange"),
    State.OVERDUE: ("Overdue", "govuk-tag--red"),
    State.MET: ("Met", "govuk-tag--green"),
    State.MISSED: ("Missed", "govuk-tag--pink"),
    State.NOT_STARTED: ("Not started", "govuk-tag--grey"),
    State.NOT_APPLICABLE: ("Does not apply", "govuk-tag--grey"),
}
#: The states in which a clock is still running: the home lists them and the reminders watch them.
LIVE = {State.RUNNING, State.DUE_SOON, State.DUE_TODAY, State.OVERDUE}


def _days(n: int, working: bool) -> str:
    """Days always say which: "3 working days", "27 calendar days"."""
    unit = "working day" if working else "calendar day"
    return f"{n} {unit}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class ClockReading:
    """One clock of one source, as at ``day``."""

    clock: Clock
    inspection: object  # inspections.models.Inspection
    day: datetime.date
    state: str
    starts_on: datetime.date | None = None
    due: datetime.date | None = None
    stopped_on: datetime.date | None = None
    #: Working (or calendar) days from ``day`` to ``due``; negative once overdue; None when not running.
    days_left: int | None = None
    #: What stops it from starting (the event not yet recorded), or from applying (the priority findings' words).
    missing: str = ""

    @property
    def tag(self) -> str:
        return TAGS[self.state][0]

    @property
    def tag_class(self) -> str:
        return TAGS[self.state][1]

    @property
    def is_live(self) -> bool:
        return self.state in LIVE

    @property
    def working(self) -> bool:
        return self.clock.in_working_days

    @property
    def detail(self) -> str:
        """What the tag does not say: "12 working days left", "on 3 March 2027", "" when due today."""
        if self.state in (State.RUNNING, State.DUE_SOON):
            return f"{_days(self.days_left, self.working)} left"
        if self.state == State.OVERDUE:
            return f"by {_days(-self.days_left, self.working)}"
        if self.state == State.MET:
            return f"on {self.stopped_on:%-d %B %Y}"
        if self.state == State.MISSED:
            return f"met {_days(self._late(), self.working)} late, on {self.stopped_on:%-d %B %Y}"
        if self.state == State.NOT_STARTED:
            return f"{self.missing} not recorded"
        if self.state == State.NOT_APPLICABLE:
            return f"there are no {self.missing}"
        return ""

    @property
    def words(self) -> str:
        """The state in a sentence: "Running: 12 working days left", "Met on 3 March 2027", "Due today"."""
        if not self.detail:
            return self.tag
        return f"{self.tag}{' ' if self.state == State.MET else ': '}{self.detail}"

    def _late(self) -> int:
        if self.working:
            return working_days_between(self.due, self.stopped_on)
        return (self.stopped_on - self.due).days

    @property
    def rule(self) -> str:
        """How the deadline is set, in words, e.g. "Within 70 working days of the report."."""
        return self.clock.basis


def due_date(clock: Clock, starts_on: datetime.date) -> datetime.date:
    """The deadline of a clock of fixed length started on ``starts_on``."""
    if clock.unit == "working_days":
        return add_working_days(starts_on, clock.length)
    if clock.unit == "calendar_days":
        return starts_on + datetime.timedelta(days=clock.length)
    return starts_on + relativedelta(months=clock.length)


def due_soon(clock: Clock, day: datetime.date, due: datetime.date, days_left: int) -> bool:
    """Within the clock's reminder lead time (``remind`` working days before its end; a calendar clock from
    the same number of working days before it): the partnership's managers are reminded from then on."""
    if not clock.remind:
        return False
    if clock.in_working_days:
        return days_left <= clock.remind
    return add_working_days(day, clock.remind) >= due


def read_clock(clock: Clock, inspection, day: datetime.date, *, has_priority: bool) -> ClockReading:
    """Where ``clock`` of ``inspection`` stands on ``day``."""
    source_regime = regime(inspection.kind)
    reading = {"clock": clock, "inspection": inspection, "day": day}
    if clock.only_with_priority and not has_priority:
        priority = source_regime.words("priority")
        missing = priority.plural[:1].lower() + priority.plural[1:] if priority else "priority findings"
        return ClockReading(state=State.NOT_APPLICABLE, missing=missing, **reading)
    starts_on = inspection.event_date(clock.starts)
    if starts_on is None:
        return ClockReading(state=State.NOT_STARTED, missing=source_regime.event_label(clock.starts), **reading)
    if clock.due:
        due = inspection.event_date(clock.due)
        if due is None:
            return ClockReading(
                state=State.NOT_STARTED, starts_on=starts_on, missing=source_regime.event_label(clock.due), **reading
            )
    else:
        due = due_date(clock, starts_on)
    stopped_on = inspection.event_date(clock.stops)
    reading.update(starts_on=starts_on, due=due, stopped_on=stopped_on)
    if stopped_on is not None:
        return ClockReading(state=State.MET if stopped_on <= due else State.MISSED, **reading)
    left = working_days_between(day, due) if clock.in_working_days else (due - day).days
    state = State.RUNNING if day < due else State.DUE_TODAY if day == due else State.OVERDUE
    if state == State.RUNNING and due_soon(clock, day, due, left):
        state = State.DUE_SOON
    return ClockReading(state=state, days_left=left, **reading)


def source_clocks(inspection, day: datetime.date, *, has_priority: bool | None = None) -> list[ClockReading]:
    """Every clock of ``inspection``'s regime on ``day``, in the regime's order.

    ``has_priority`` (whether it has priority findings) is read when not given: one query.
    """
    clocks = regime(inspection.kind).clocks
    if has_priority is None and any(clock.only_with_priority for clock in clocks):
        has_priority = inspection.findings.filter(kind="priority").exists()
    return [read_clock(clock, inspection, day, has_priority=bool(has_priority)) for clock in clocks]


def running_clocks(inspections: Iterable, day: datetime.date) -> list[ClockReading]:
    """The clocks still running on ``day`` (running, due today or overdue) across ``inspections`` (a queryset
    of Inspection), nearest deadline first. Two queries, whatever the number of sources."""
    rows = inspections.annotate(priority_count=Count("findings", filter=Q(findings__kind="priority")))
    live = [
        reading
        for inspection in rows
        for reading in source_clocks(inspection, day, has_priority=inspection.priority_count > 0)
        if reading.is_live
    ]
    return sorted(live, key=lambda reading: (reading.due, reading.inspection.pk, reading.clock.code))
