"""Every inspection and review regime a partnership answers to, read once from ``regimes.toml``.

A regime is data, never code: its name, who asks and to whom it reports, its plan's name, its findings'
words, its events and its clocks. ``Inspection.kind`` holds a regime's code; everything that names a
finding, a plan or a deadline asks this module (:func:`regime`, :data:`REGIMES`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SOURCE = Path(__file__).with_name("regimes.toml")
UNITS = ("working_days", "calendar_days", "months")
#: The columns of Inspection an event's date may live in (every other event is kept in ``milestones``).
EVENT_FIELDS = ("letter_published", "plan_due", "plan_submitted", "plan_endorsed")
#: The Finding.Kind codes a regime may use, in the order pages list them.
FINDING_KINDS = ("cause_of_concern", "priority", "improvement", "recommendation", "learning", "strength")
#: The Inspection.Inspectorate codes an inspection regime may name.
INSPECTORATES = ("ofsted", "cqc", "hmicfrs", "hmip")
#: The words each kind of regime tells its status in, by Inspection.Status code (the codes never change).
STATUS_WORDS = {
    "inspection": {
        "fieldwork": "Fieldwork",
        "awaiting_letter": "Awaiting letter",
        "plan_in_preparation": "Action plan in preparation",
        "plan_submitted": "Action plan submitted",
        "monitoring": "Monitoring progress",
        "signed_off": "Signed off",
    },
    "review": {
        "fieldwork": "Review under way",
        "awaiting_letter": "Report awaited",
        "plan_in_preparation": "Action plan in preparation",
        "plan_submitted": "Action plan agreed",
        "monitoring": "Monitoring progress",
        "signed_off": "Signed off",
    },
    "plan": {
        "fieldwork": "Work under way",
        "awaiting_letter": "Findings awaited",
        "plan_in_preparation": "Action plan in preparation",
        "plan_submitted": "Action plan agreed",
        "monitoring": "Monitoring progress",
        "signed_off": "Signed off",
    },
}


@dataclass(frozen=True)
class FindingWords:
    kind: str
    singular: str
    plural: str


@dataclass(frozen=True)
class Event:
    code: str
    label: str
    #: The Inspection column holding its date, or "" when it is kept in ``Inspection.milestones``.
    field: str = ""


@dataclass(frozen=True)
class Clock:
    code: str
    label: str
    starts: str  # the event it runs from
    stops: str  # the event that meets it
    length: int = 0
    unit: str = ""
    #: The event whose date is the deadline (a date the asker sets), instead of a length.
    due: str = ""
    only_with_priority: bool = False
    remind: int = 5
    basis: str = ""

    @property
    def label_lower(self) -> str:
        """Its label inside a sentence: "notification to the National Panel"."""
        return self.label[:1].lower() + self.label[1:] if self.label[1:2].islower() else self.label

    @property
    def in_working_days(self) -> bool:
        """Counted (and its days left told) in working days: a length in working days, or a date set by the asker."""
        return self.unit in ("working_days", "")


@dataclass(frozen=True)
class Regime:
    code: str
    name: str
    short_name: str
    noun: str
    theme: str
    theme_example: str
    period: str
    asks: str
    reports_to: str
    plan: str
    period_start: str
    period_end: str
    findings: tuple[FindingWords, ...]
    events: tuple[Event, ...]
    clocks: tuple[Clock, ...]
    no_clock: str = ""
    #: The source's own document as a background paper: "{theme}" and "{date}" are filled in (:meth:`paper_for`).
    paper: str = ""
    #: The event whose date the paper gives.
    paper_event: str = ""

    @property
    def name_in_sentence(self) -> str:
        """Its name inside a sentence: "joint targeted area inspection (JTAI)", "area SEND inspection"."""
        return lower_name(self.name)

    @property
    def theme_is_name(self) -> bool:
        """A source of the regime is called by a name ("Child H"), kept as written inside a sentence."""
        return self.theme == "Name"

    #: Its word for the text its findings come from: "letter", "report".
    report: str = "report"
    #: Which words its status is told in (a key of :data:`STATUS_WORDS`).
    statuses: str = "inspection"
    #: The inspectorates that may carry it out (codes); none for a review or a local plan.
    inspectorates: tuple[str, ...] = ()

    @property
    def is_inspection(self) -> bool:
        """Carried out by inspectorates: the form asks which."""
        return bool(self.inspectorates)

    @property
    def status_choices(self) -> list[tuple[str, str]]:
        """Inspection.Status codes with the regime's words for them ("Awaiting report" where it has no letter)."""
        return [(code, self.status_label(code)) for code in STATUS_WORDS[self.statuses]]

    def status_label(self, code: str) -> str:
        words = STATUS_WORDS[self.statuses].get(code, code)
        return words.replace("Awaiting letter", f"Awaiting {self.report}")

    @property
    def summary(self) -> str:
        """Its plan and clocks in a sentence or two, as the type question's hint gives them."""
        clocks = " ".join(f"{clock.label}: {_lower(clock.basis)}" for clock in self.clocks if clock.basis)
        return f"{self.plan}, for {_lower(self.reports_to)}. {clocks or self.no_clock}"

    def event(self, code: str) -> Event:
        return next(event for event in self.events if event.code == code)

    def event_label(self, code: str) -> str:
        return self.event(code).label

    @property
    def milestone_events(self) -> tuple[Event, ...]:
        """The events whose dates are kept in ``Inspection.milestones`` (not in a column of their own)."""
        return tuple(event for event in self.events if not event.field)

    def words(self, kind: str) -> FindingWords | None:
        return next((words for words in self.findings if words.kind == kind), None)

    @property
    def finding_kinds(self) -> tuple[str, ...]:
        return tuple(words.kind for words in self.findings)


#: The words that start a phrase in regimes.toml and are lowered inside a sentence (a name, "Ofsted", is not).
_PLAIN_STARTS = {"The", "Within", "By", "About"}


def lower_name(words: str) -> str:
    """Words inside a sentence: only a capital that starts them and is followed by a small letter is lowered."""
    return words[:1].lower() + words[1:] if words[1:2].islower() else words


def _lower(words: str) -> str:
    """A phrase inside a sentence: "The National Panel" becomes "the National Panel"; "Ofsted" stays."""
    first, _, rest = words.partition(" ")
    return f"{first.lower()} {rest}" if first in _PLAIN_STARTS else words


class RegimeError(ValueError):
    """regimes.toml breaks a rule of its own: the message names the regime and what is wrong."""


def _regime(code: str, raw: dict) -> Regime:
    def need(entry: dict, key: str, where: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise RegimeError(f"{code}: {where} needs {key}")
        return value

    findings = tuple(
        FindingWords(
            kind=need(f, "kind", "a finding"),
            singular=need(f, "singular", "a finding"),
            plural=need(f, "plural", "a finding"),
        )
        for f in raw.get("findings", [])
    )
    for words in findings:
        if words.kind not in FINDING_KINDS:
            raise RegimeError(f"{code}: unknown kind of finding {words.kind}")
    events = tuple(
        Event(code=need(e, "code", "an event"), label=need(e, "label", "an event"), field=e.get("field", ""))
        for e in raw.get("events", [])
    )
    codes = [event.code for event in events]
    if len(set(codes)) != len(codes):
        raise RegimeError(f"{code}: an event is named twice")
    for event in events:
        if event.field and event.field not in EVENT_FIELDS:
            raise RegimeError(f"{code}: event {event.code} names an unknown field {event.field}")
    clocks = []
    for c in raw.get("clocks", []):
        clock = Clock(
            code=need(c, "code", "a clock"),
            label=need(c, "label", "a clock"),
            starts=need(c, "from", "a clock"),
            stops=need(c, "stops", "a clock"),
            length=int(c.get("length", 0)),
            unit=c.get("unit", ""),
            due=c.get("due", ""),
            only_with_priority=bool(c.get("only_with_priority", False)),
            remind=int(c.get("remind", 5)),
            basis=c.get("basis", ""),
        )
        for event in (clock.starts, clock.stops, clock.due):
            if event and event not in codes:
                raise RegimeError(f"{code}: clock {clock.code} names an unknown event {event}")
        if bool(clock.due) == bool(clock.length):
            raise RegimeError(f"{code}: clock {clock.code} needs either a length or a due event")
        if clock.length and clock.unit not in UNITS:
            raise RegimeError(f"{code}: clock {clock.code} needs a unit: {', '.join(UNITS)}")
        if clock.remind < 0:
            raise RegimeError(f"{code}: clock {clock.code} reminds a negative number of days before")
        clocks.append(clock)
    paper, paper_event = raw.get("paper", ""), raw.get("paper_event", "")
    if paper and ("{date}" not in paper or paper_event not in codes):
        raise RegimeError(f"{code}: paper needs {{date}} and a paper_event that is one of its events")
    inspectorates = raw.get("inspectorates", [])
    if not isinstance(inspectorates, list) or set(inspectorates) - set(INSPECTORATES):
        raise RegimeError(f"{code}: inspectorates must be a list of: {', '.join(INSPECTORATES)}")
    statuses = raw.get("statuses", "inspection")
    if statuses not in STATUS_WORDS:
        raise RegimeError(f"{code}: statuses must be one of: {', '.join(STATUS_WORDS)}")
    if not clocks and not raw.get("no_clock"):
        raise RegimeError(f"{code}: a regime without clocks says so in no_clock")
    return Regime(
        code=code,
        name=need(raw, "name", "the regime"),
        short_name=need(raw, "short_name", "the regime"),
        noun=need(raw, "noun", "the regime"),
        theme=need(raw, "theme", "the regime"),
        theme_example=need(raw, "theme_example", "the regime"),
        period=need(raw, "period", "the regime"),
        asks=need(raw, "asks", "the regime"),
        reports_to=need(raw, "reports_to", "the regime"),
        plan=need(raw, "plan", "the regime"),
        period_start=need(raw, "period_start", "the regime"),
        period_end=need(raw, "period_end", "the regime"),
        findings=findings,
        events=events,
        clocks=tuple(clocks),
        no_clock=raw.get("no_clock", ""),
        paper=paper,
        paper_event=paper_event if paper else "",
        report=raw.get("report", "report"),
        statuses=statuses,
        inspectorates=tuple(inspectorates),
    )


def load(text: str) -> dict[str, Regime]:
    """The regimes a TOML text describes, checked; :class:`RegimeError` names the first fault."""
    raw = tomllib.loads(text).get("regimes", {})
    return {code: _regime(code, entry) for code, entry in raw.items()}


@cache
def regimes() -> dict[str, Regime]:
    """Every regime by its code, in the file's order (read once per process)."""
    return load(SOURCE.read_text(encoding="utf-8"))


REGIMES = regimes()


def regime(code: str) -> Regime:
    """The regime of ``code``; an unknown code (a row written before its regime was removed) reads as local."""
    return REGIMES.get(code) or REGIMES["local"]


def milestone_events() -> dict[str, str]:
    """Every event kept in ``Inspection.milestones``, by code, across the regimes (the first regime's label)."""
    events: dict[str, str] = {}
    for entry in REGIMES.values():
        for event in entry.milestone_events:
            events.setdefault(event.code, event.label)
    return events
