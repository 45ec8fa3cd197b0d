"""The demo's data files, read and checked: one TOML file per partnership in ``demo/data/``.

A file says everything the demo holds for one partnership: the partnership, its agencies and people,
the inspection and its findings, the plan, its rounds, every action with its update for each round,
the round still open, the impact measures and the partnership's own quadrant wording. Rows name each
other as the partnership would (an agency by its short name, a person by username, an area for
improvement by its number, a round by its label), never by a database id.

Values are the models' own: choices by their stored value (``"amber"``, ``"youth_justice"``), dates
as TOML dates. Text is folded so that long narrative can be wrapped in the file: the line breaks
inside a paragraph are spaces, and a blank line starts a new paragraph.

Dates are the partnership's own, as its reports give them, but a file with an open round is loaded as
a partnership live on the day it is loaded (:mod:`demo.loader`, "Dates"): the open round and the
actions' target dates are moved by a whole number of months, the agreed rounds keep theirs. So the
open round's label names its month ("August 2020"), and every round before it is endorsed (its record
is frozen with the file's own dates before anything moves).

Everything is checked before anything is written: a missing or unknown key, a value of the wrong
type or outside the model's choices, a name that refers to nothing, a round without an update. The
error, :class:`DemoDataError`, names the file and the entry.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from actions.models import ImpactMeasure, MonitoringRound
from actions.quadrants import Quadrant
from inspections.models import KINDS_NEEDING_ACTION, Agency, Finding, Inspection
from inspections.regimes import regime
from people.models import Person
from reports.logos import LogoRefused, checked_logo
from reports.models import ReportStyle
from reports.report_text import DEFAULT_FIELDS

#: Where the files are.
DATA = Path(__file__).resolve().parent / "data"


class DemoDataError(ValueError):
    """A demo data file says something the loader cannot load."""


# ---------------------------------------------------------------------------------------------------
# What a file holds
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencySpec:
    short: str  # how the rest of the file names the agency
    name: str
    kind: str


@dataclass(frozen=True)
class PersonSpec:
    username: str
    first_name: str
    last_name: str
    role: str
    agency: str  # AgencySpec.short
    job_title: str


@dataclass(frozen=True)
class FindingSpec:
    kind: str
    number: int
    text: str
    case_study: str


@dataclass(frozen=True)
class RoundSpec:
    """A round the sub-group has agreed, and the board endorsed if ``endorsed_on`` is given."""

    label: str
    cadence: str
    period_end: datetime.date
    update_deadline: datetime.date
    subgroup_meeting_on: datetime.date
    endorsed_on: datetime.date | None
    endorsement_meeting: str

    @property
    def state(self) -> str:
        return MonitoringRound.State.ENDORSED if self.endorsed_on else MonitoringRound.State.AGREED


@dataclass(frozen=True)
class UpdateSpec:
    """One lead's update for one agreed round, and the quadrant the sub-group agreed.

    ``proposed_quadrant`` and ``agreed_reason`` are given only where the sub-group changed the
    lead's proposal; otherwise the lead proposed the quadrant that was agreed.
    """

    round: str  # RoundSpec.label
    agreed_quadrant: str
    proposed_quadrant: str
    agreed_reason: str
    narrative: str
    evidence: str
    barriers: str
    next_steps: str


@dataclass(frozen=True)
class NotImplementedSpec:
    """The sub-group's agreement, at its meeting ``on``, that an action will not be implemented, and why."""

    on: datetime.date
    reason: str
    agreed_by: str  # username (the chair)


@dataclass(frozen=True)
class ActionSpec:
    reference: str
    areas: tuple[int, ...]  # numbers of the findings it answers (areas for improvement, recommendations)
    description: str
    lead: str  # username
    lead_agency: str  # AgencySpec.short
    supporting: tuple[str, ...]
    target_date: datetime.date
    revised_target_date: datetime.date | None  # agreed by the chair
    revised_target_reason: str
    measure_of_success: str
    updates: tuple[UpdateSpec, ...]  # one for each agreed round, in the rounds' order
    not_implemented: NotImplementedSpec | None = None


@dataclass(frozen=True)
class OpenRoundSpec:
    """The round after the last agreed one, open for updates.

    Its ``label`` is the month its period ends in ("June 2020"), so that the loader can rename it when
    it moves the round to the day of the load. Every lead except ``left_to`` has an update that says
    ``narrative`` (in which ``{next_steps}`` stands for the next steps of their last agreed update) and
    proposes the last agreed quadrant.
    """

    label: str
    cadence: str
    period_end: datetime.date
    update_deadline: datetime.date
    narrative: str
    next_steps: str
    left_to: tuple[str, ...]  # usernames

    def narrative_after(self, last: UpdateSpec) -> str:
        steps = last.next_steps.rstrip(".")
        return self.narrative.replace("{next_steps}", steps[:1].lower() + steps[1:])


@dataclass(frozen=True)
class ImpactValueSpec:
    period_label: str
    period_end: datetime.date
    value: Decimal


@dataclass(frozen=True)
class MeasureSpec:
    name: str
    description: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    higher_is_better: bool
    values: tuple[ImpactValueSpec, ...]


@dataclass(frozen=True)
class ReportStyleSpec:
    """The partnership's committee report style and default wording (``reports.ReportStyle``)."""

    council_name: str
    body_size: int
    logo: bytes  # checked and, for an SVG, sanitised as an upload would be; empty for none
    logo_type: str
    logo_name: str
    #: reports.report_text.DEFAULT_FIELDS -> wording
    defaults: dict[str, str]


@dataclass(frozen=True)
class SourceDemo:
    """A further inspection or review of the partnership (``[[sources]]``), with its plan and rounds.

    Unlike the main inspection, whose record stays in its own years, a source is the partnership's
    recent work: every date it gives is moved by the same whole months as the open round (demo.loader,
    "Dates"), so its clocks and rounds are live on the day of the load. Its open round, if any, ends
    on the same day as the file's.
    """

    inspection: dict[str, Any]  # with "milestones": event code -> date
    findings: tuple[FindingSpec, ...]
    plan_title: str
    rounds: tuple[RoundSpec, ...]
    actions: tuple[ActionSpec, ...]
    open_round: OpenRoundSpec | None


@dataclass(frozen=True)
class PartnershipDemo:
    """One demo partnership, as its file describes it."""

    source: Path
    name: str
    local_authority: str
    board_name: str
    email_domain: str
    chair: str  # username of the person who agrees every update and revised target date
    agencies: tuple[AgencySpec, ...]
    people: tuple[PersonSpec, ...]
    #: The inspection's own fields, as ``inspections.services.inspection_create`` takes them.
    inspection: dict[str, Any]
    findings: tuple[FindingSpec, ...]
    plan_title: str
    rounds: tuple[RoundSpec, ...]
    actions: tuple[ActionSpec, ...]
    open_round: OpenRoundSpec | None
    measures: tuple[MeasureSpec, ...]
    #: quadrant -> (label, description): the partnership's own words for every quadrant, or nothing.
    wording: dict[str, tuple[str, str]]
    report_style: ReportStyleSpec | None = None
    sources: tuple[SourceDemo, ...] = ()


# ---------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------


def read_demo(path: Path) -> PartnershipDemo:
    """The partnership that the file at ``path`` describes, checked; :class:`DemoDataError` if it cannot be."""
    try:
        with path.open("rb") as file:
            document = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DemoDataError(f"{_shown(path)}: {exc}") from exc
    return _Reader(path).partnership(_Entry(path, "the partnership", document, top=True))


#: The months as a round's label names them.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_label(day: datetime.date) -> str:
    """The label of a round whose period ends on ``day``: "June 2020"."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def fold(text: str) -> str:
    """Line breaks inside a paragraph become spaces; paragraphs are kept, separated by one blank line."""
    paragraphs = re.split(r"\n[ \t]*\n", text.strip())
    return "\n\n".join(" ".join(line.strip() for line in paragraph.strip().splitlines()) for paragraph in paragraphs)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(DATA.parent.parent))
    except ValueError:
        return str(path)


_MISSING: Any = object()


class _Entry:
    """One table of the file, read key by key; every read names the file and the entry when it fails."""

    def __init__(self, path: Path, where: str, table: Any, *, top: bool = False):
        self.path, self.where, self.top = path, where, top
        if not isinstance(table, dict):
            raise self.error("must be a table")
        self.table: dict[str, Any] = table
        self._known: set[str] = set()

    def error(self, message: str) -> DemoDataError:
        return DemoDataError(f"{_shown(self.path)}, {self.where}: {message}")

    def get(self, key: str, default: Any = _MISSING) -> Any:
        self._known.add(key)
        if key in self.table:
            return self.table[key]
        if default is _MISSING:
            raise self.error(f'"{key}" is missing')
        return default

    def _typed(self, key: str, kinds: tuple[type, ...], what: str, default: Any) -> Any:
        value = self.get(key, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, kinds) or isinstance(value, bool) is not (bool in kinds):
            raise self.error(f'"{key}" must be {what}, not {value!r}')
        return value

    def text(self, key: str, default: Any = _MISSING) -> Any:
        value = self._typed(key, (str,), "text", default)
        return fold(value) if isinstance(value, str) else value

    def choice(self, key: str, choices: Collection[str], default: Any = _MISSING) -> Any:
        value = self.text(key, default)
        if value is not default and value not in choices:
            raise self.error(f'"{key}" must be one of {", ".join(choices)}, not {value!r}')
        return value

    def date(self, key: str, default: Any = _MISSING) -> Any:
        value = self._typed(key, (datetime.date,), "a date (2020-05-31)", default)
        if isinstance(value, datetime.datetime):
            raise self.error(f'"{key}" must be a date without a time, not {value!r}')
        return value

    def integer(self, key: str) -> int:
        value = self._typed(key, (int,), "a whole number", _MISSING)
        if value < 1:
            raise self.error(f'"{key}" must be 1 or more, not {value}')
        return value

    def boolean(self, key: str, default: bool) -> bool:
        return self._typed(key, (bool,), "true or false", default)

    def decimal(self, key: str, default: Any = _MISSING) -> Any:
        value = self._typed(key, (int, float), "a number", default)
        return value if value is default else Decimal(str(value))

    def texts(self, key: str, choices: Collection[str] | None = None, default: Any = _MISSING) -> tuple[str, ...]:
        values = self.get(key, default)
        if values is default and default is not _MISSING:
            return default
        if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
            raise self.error(f'"{key}" must be a list of text, not {values!r}')
        for value in values:
            if choices is not None and value not in choices:
                raise self.error(f'"{key}": {value!r} is not one of {", ".join(choices)}')
        return tuple(values)

    def entries(self, key: str, name: Callable[[dict[str, Any]], str], default: Any = _MISSING) -> list[_Entry]:
        """The tables of the array ``key``, each called by ``name`` (or by its place if it has none)."""
        tables = self.get(key, default)
        if not isinstance(tables, list):
            raise self.error(f'"{key}" must be a list of tables')
        entries = []
        for index, table in enumerate(tables, start=1):
            try:
                where = name(table)
            except (KeyError, TypeError):
                where = f"{key} entry {index}"
            entries.append(_Entry(self.path, where if self.top else f"{self.where}, {where}", table))
        return entries

    def entry(self, key: str, where: str) -> _Entry:
        return _Entry(self.path, where, self.get(key))

    def done(self) -> None:
        """Refuse keys nothing read: a misspelt optional key would otherwise be silently ignored."""
        unknown = sorted(set(self.table) - self._known)
        if unknown:
            known = ", ".join(sorted(self._known))
            raise self.error(f"unknown key {', '.join(repr(key) for key in unknown)} (known keys: {known})")


def _is_area(number: Any, areas: set[int]) -> bool:
    return isinstance(number, int) and not isinstance(number, bool) and number in areas


def _unique(entries: Iterable[_Entry], values: Iterable[Any], what: str) -> None:
    seen: set[Any] = set()
    for entry, value in zip(entries, values, strict=True):
        if value in seen:
            raise entry.error(f"another entry has the same {what}")
        seen.add(value)


class _Reader:
    """Reads one file, checking each name it meets against the entries read before it."""

    def __init__(self, path: Path):
        self.path = path

    def partnership(self, document: _Entry) -> PartnershipDemo:
        name = document.text("name")
        local_authority, board_name = document.text("local_authority"), document.text("board_name")
        email_domain, chair = document.text("email_domain"), document.text("chair")

        agency_entries = document.entries("agencies", lambda t: f"agency {t['short']}")
        agencies = tuple(self.agency(entry) for entry in agency_entries)
        _unique(agency_entries, (a.short for a in agencies), "short name")
        _unique(agency_entries, (a.name.lower() for a in agencies), "name")
        shorts = [agency.short for agency in agencies]

        people_entries = document.entries("people", lambda t: f"person {t['username']}")
        people = tuple(self.person(entry, shorts) for entry in people_entries)
        _unique(people_entries, (p.username.lower() for p in people), "username")
        usernames = [person.username for person in people]
        if chair not in usernames:
            raise document.error(f'"chair": {chair!r} is not one of the people')

        inspection = self.inspection(document.entry("inspection", "[inspection]"))
        finding_entries = document.entries("findings", lambda t: f"finding {t['kind']} {t['number']}")
        findings = tuple(self.finding(entry) for entry in finding_entries)
        _unique(finding_entries, ((f.kind, f.number) for f in findings), "kind and number")
        areas = {f.number for f in findings if f.kind == Finding.Kind.AREA_FOR_IMPROVEMENT}

        plan = document.entry("plan", "[plan]")
        plan_title = plan.text("title")
        plan.done()

        round_entries = document.entries("rounds", lambda t: f"round {t['label']}")
        rounds = tuple(self.agreed_round(entry) for entry in round_entries)
        _unique(round_entries, (r.label for r in rounds), "label")
        _unique(round_entries, (r.period_end for r in rounds), "period_end")
        labels = [r.label for r in rounds]

        action_entries = document.entries("actions", lambda t: f"action {t['reference']}")
        actions = tuple(self.action(entry, areas, usernames, shorts, labels) for entry in action_entries)
        _unique(action_entries, (a.reference for a in actions), "reference")

        open_round = None
        if "open_round" in document.table:
            open_round = self.open_round(document.entry("open_round", "[open_round]"), usernames, labels)
            for entry, round_spec in zip(round_entries, rounds, strict=True):
                if round_spec.endorsed_on is None:
                    raise entry.error(
                        'a file with an open round must give every earlier round "endorsed_on": the loader '
                        "moves the plan's dates to the day of the load and only an endorsed round keeps its record"
                    )

        measure_entries = document.entries("measures", lambda t: f"measure {t['name']!r}", [])
        measures = tuple(self.measure(entry) for entry in measure_entries)
        _unique(measure_entries, (m.name for m in measures), "name")

        wording = {}
        if "quadrant_wording" in document.table:
            wording = self.wording(document.entry("quadrant_wording", "[quadrant_wording]"))
        report_style = None
        if "report_style" in document.table:
            report_style = self.report_style(document.entry("report_style", "[report_style]"))
        source_entries = document.entries("sources", lambda t: f"source {t['inspection']['theme']}", [])
        sources = tuple(self.source(entry, usernames, shorts, open_round) for entry in source_entries)
        document.done()
        return PartnershipDemo(
            source=self.path,
            name=name,
            local_authority=local_authority,
            board_name=board_name,
            email_domain=email_domain,
            chair=chair,
            agencies=agencies,
            people=people,
            inspection=inspection,
            findings=findings,
            plan_title=plan_title,
            rounds=rounds,
            actions=actions,
            open_round=open_round,
            measures=measures,
            wording=wording,
            report_style=report_style,
            sources=sources,
        )

    def source(
        self, entry: _Entry, usernames: list[str], shorts: list[str], main_open_round: OpenRoundSpec | None
    ) -> SourceDemo:
        inspection = self.inspection(entry.entry("inspection", f"{entry.where}, [inspection]"))
        finding_entries = entry.entries("findings", lambda t: f"finding {t['kind']} {t['number']}")
        findings = tuple(self.finding(finding_entry) for finding_entry in finding_entries)
        _unique(finding_entries, ((f.kind, f.number) for f in findings), "kind and number")
        actionable = [f for f in findings if f.kind in KINDS_NEEDING_ACTION]
        _unique(
            [e for e, f in zip(finding_entries, findings, strict=True) if f.kind in KINDS_NEEDING_ACTION],
            (f.number for f in actionable),
            "number among the findings an action answers",
        )
        kinds = regime(inspection["kind"]).finding_kinds
        for finding_entry, finding in zip(finding_entries, findings, strict=True):
            if finding.kind not in kinds:
                raise finding_entry.error(f"a {regime(inspection['kind']).name.lower()} has no {finding.kind} findings")
        plan = entry.entry("plan", f"{entry.where}, [plan]")
        plan_title = plan.text("title")
        plan.done()
        round_entries = entry.entries("rounds", lambda t: f"round {t['label']}", [])
        rounds = tuple(self.agreed_round(round_entry) for round_entry in round_entries)
        _unique(round_entries, (r.label for r in rounds), "label")
        labels = [r.label for r in rounds]
        action_entries = entry.entries("actions", lambda t: f"action {t['reference']}")
        areas = {f.number for f in actionable}
        actions = tuple(
            self.action(e, areas, usernames, shorts, labels, "findings that need action") for e in action_entries
        )
        _unique(action_entries, (a.reference for a in actions), "reference")
        open_round = None
        if "open_round" in entry.table:
            open_round = self.open_round(entry.entry("open_round", f"{entry.where}, [open_round]"), usernames, labels)
            if main_open_round is None or open_round.period_end != main_open_round.period_end:
                raise entry.error("a source's open round must end on the same day as the file's [open_round]")
        for round_entry, round_spec in zip(round_entries, rounds, strict=True):
            if round_spec.endorsed_on is None:
                raise round_entry.error('a source\'s rounds are moved to the day of the load: give "endorsed_on"')
        entry.done()
        return SourceDemo(
            inspection=inspection,
            findings=findings,
            plan_title=plan_title,
            rounds=rounds,
            actions=actions,
            open_round=open_round,
        )

    def agency(self, entry: _Entry) -> AgencySpec:
        agency = AgencySpec(entry.text("short"), entry.text("name"), entry.choice("kind", Agency.Kind.values))
        entry.done()
        return agency

    def person(self, entry: _Entry, agencies: list[str]) -> PersonSpec:
        person = PersonSpec(
            username=entry.text("username"),
            first_name=entry.text("first_name"),
            last_name=entry.text("last_name"),
            role=entry.choice("role", Person.Role.values),
            agency=entry.choice("agency", agencies),
            job_title=entry.text("job_title", ""),
        )
        entry.done()
        return person

    def inspection(self, entry: _Entry) -> dict[str, Any]:
        inspection = {
            "kind": entry.choice("kind", Inspection.Kind.values),
            "theme": entry.text("theme"),
            "inspectorates": list(entry.texts("inspectorates", Inspection.Inspectorate.values)),
            "fieldwork_start": entry.date("fieldwork_start"),
            "fieldwork_end": entry.date("fieldwork_end"),
            "letter_published": entry.date("letter_published", None),
            "plan_due": entry.date("plan_due", None),
            "plan_submitted": entry.date("plan_submitted", None),
            "plan_endorsed": entry.date("plan_endorsed", None),
            "status": entry.choice("status", Inspection.Status.values),
        }
        milestones = entry.get("milestones", {})
        if not isinstance(milestones, dict):
            raise entry.error('"milestones" must be a table of event codes and dates')
        events = {event.code for event in regime(inspection["kind"]).milestone_events}
        for code, day in milestones.items():
            if code not in events:
                raise entry.error(
                    f'"milestones": a {inspection["kind"]} has no event {code!r} ({", ".join(sorted(events))})'
                )
            if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
                raise entry.error(f'"milestones": {code} must be a date (2020-05-31), not {day!r}')
        if milestones:
            inspection["milestones"] = dict(milestones)
        entry.done()
        return inspection

    def finding(self, entry: _Entry) -> FindingSpec:
        finding = FindingSpec(
            kind=entry.choice("kind", Finding.Kind.values),
            number=entry.integer("number"),
            text=entry.text("text"),
            case_study=entry.text("case_study", ""),
        )
        entry.done()
        return finding

    def round_fields(self, entry: _Entry) -> dict[str, Any]:
        """What every round says: its label and cadence, the end of the period it covers, the deadline for updates."""
        return {
            "label": entry.text("label"),
            "cadence": entry.choice("cadence", MonitoringRound.Cadence.values),
            "period_end": entry.date("period_end"),
            "update_deadline": entry.date("update_deadline"),
        }

    def agreed_round(self, entry: _Entry) -> RoundSpec:
        round_spec = RoundSpec(
            **self.round_fields(entry),
            subgroup_meeting_on=entry.date("subgroup_meeting_on"),
            endorsed_on=entry.date("endorsed_on", None),
            endorsement_meeting=entry.text("endorsement_meeting", ""),
        )
        if (round_spec.endorsed_on is None) != (round_spec.endorsement_meeting == ""):
            raise entry.error('give both "endorsed_on" and "endorsement_meeting", or neither')
        entry.done()
        return round_spec

    def action(
        self,
        entry: _Entry,
        areas: set[int],
        people: list[str],
        agencies: list[str],
        rounds: list[str],
        answering: str = "areas for improvement",
    ) -> ActionSpec:
        answers = entry.get("areas")
        if not isinstance(answers, list) or not answers or not all(_is_area(n, areas) for n in answers):
            raise entry.error(f'"areas" must list numbers of {answering} in the findings, not {answers!r}')
        update_entries = entry.entries("updates", lambda t: f"update for {t['round']}")
        updates = {}
        for update_entry in update_entries:
            update = self.update(update_entry, rounds)
            if update.round in updates:
                raise update_entry.error("the action has another update for this round")
            updates[update.round] = update
        missing = [label for label in rounds if label not in updates]
        if missing:
            raise entry.error(f"no update for round {', '.join(missing)}")
        action = ActionSpec(
            reference=entry.text("reference"),
            areas=tuple(answers),
            description=entry.text("description"),
            lead=entry.choice("lead", people),
            lead_agency=entry.choice("lead_agency", agencies),
            supporting=entry.texts("supporting", agencies, ()),
            target_date=entry.date("target_date"),
            revised_target_date=entry.date("revised_target_date", None),
            revised_target_reason=entry.text("revised_target_reason", ""),
            measure_of_success=entry.text("measure_of_success", ""),
            updates=tuple(updates[label] for label in rounds),
            not_implemented=self.not_implemented(entry, people),
        )
        if (action.revised_target_date is None) != (action.revised_target_reason == ""):
            raise entry.error('give both "revised_target_date" and "revised_target_reason", or neither')
        entry.done()
        return action

    def not_implemented(self, entry: _Entry, people: list[str]) -> NotImplementedSpec | None:
        """``not_implemented = { on = 2020-06-17, reason = "...", agreed_by = "chair" }``, or nothing."""
        if "not_implemented" not in entry.table:
            entry.get("not_implemented", None)
            return None
        table = entry.entry("not_implemented", f"{entry.where}, not_implemented")
        spec = NotImplementedSpec(table.date("on"), table.text("reason"), table.choice("agreed_by", people))
        table.done()
        return spec

    def update(self, entry: _Entry, rounds: list[str]) -> UpdateSpec:
        update = UpdateSpec(
            round=entry.choice("round", rounds),
            agreed_quadrant=entry.choice("agreed_quadrant", Quadrant.values),
            proposed_quadrant=entry.choice("proposed_quadrant", Quadrant.values, ""),
            agreed_reason=entry.text("agreed_reason", ""),
            narrative=entry.text("narrative"),
            evidence=entry.text("evidence", ""),
            barriers=entry.text("barriers", ""),
            next_steps=entry.text("next_steps", ""),
        )
        if (update.proposed_quadrant == "") != (update.agreed_reason == ""):
            raise entry.error(
                'give both "proposed_quadrant" and "agreed_reason" (the sub-group changed the quadrant), or neither'
            )
        if update.proposed_quadrant == update.agreed_quadrant:
            raise entry.error('"proposed_quadrant" is the agreed quadrant: leave it and "agreed_reason" out')
        entry.done()
        return update

    def open_round(self, entry: _Entry, people: list[str], rounds: list[str]) -> OpenRoundSpec:
        open_round = OpenRoundSpec(
            **self.round_fields(entry),
            narrative=entry.text("narrative"),
            next_steps=entry.text("next_steps"),
            left_to=entry.texts("left_to", people, ()),
        )
        if open_round.label in rounds:
            raise entry.error(f'"label": {open_round.label!r} is already an agreed round')
        if month_label(open_round.period_end) != open_round.label:
            raise entry.error(
                f'"label" must name the month the period ends in, {month_label(open_round.period_end)!r}, '
                f"not {open_round.label!r}: the loader renames the round when it moves it to the day of the load"
            )
        if "{next_steps}" not in open_round.narrative:
            raise entry.error('"narrative" must say where the last next steps go: {next_steps}')
        entry.done()
        return open_round

    def measure(self, entry: _Entry) -> MeasureSpec:
        value_entries = entry.entries("values", lambda t: f"value for {t['period_label']}", [])
        values = []
        for value_entry in value_entries:
            values.append(
                ImpactValueSpec(
                    period_label=value_entry.text("period_label"),
                    period_end=value_entry.date("period_end"),
                    value=value_entry.decimal("value"),
                )
            )
            value_entry.done()
        _unique(value_entries, (value.period_end for value in values), "period_end")
        measure = MeasureSpec(
            name=entry.text("name"),
            description=entry.text("description", ""),
            unit=entry.choice("unit", ImpactMeasure.Unit.values),
            baseline=entry.decimal("baseline", None),
            target=entry.decimal("target", None),
            higher_is_better=entry.boolean("higher_is_better", True),
            values=tuple(values),
        )
        entry.done()
        return measure

    def report_style(self, entry: _Entry) -> ReportStyleSpec:
        """``[report_style]``: council_name, body_size, an optional logo (a file beside this one) and
        ``[report_style.defaults]``, each key one of reports.report_text.DEFAULT_FIELDS; "sign_off" is a list of
        lines ("Role: name, date"), every other default is text."""
        council_name = entry.text("council_name")
        body_size = entry._typed("body_size", (int,), "a whole number", 12)
        if body_size not in ReportStyle.BodySize.values:
            raise entry.error(f'"body_size" must be one of {ReportStyle.BodySize.values}, not {body_size}')
        logo_name = entry.text("logo", "")
        logo, logo_type = b"", ""
        if logo_name:
            path = self.path.parent / logo_name
            if not path.is_file() or path.parent != self.path.parent:
                raise entry.error(f'"logo": there is no file {logo_name!r} beside this one')
            try:
                checked = checked_logo(path.read_bytes())
            except LogoRefused as refused:
                raise entry.error(f'"logo": {refused}') from refused
            logo, logo_type = checked.content, checked.content_type
        table = entry.entry("defaults", "[report_style.defaults]")
        defaults = {}
        for key in list(table.table):
            if key not in DEFAULT_FIELDS:
                raise table.error(f'"{key}" is not a section a partnership can give wording for')
            if key == "sign_off":
                defaults[key] = "\n".join(table.texts(key))
            else:
                defaults[key] = table.text(key)
        table.done()
        entry.done()
        return ReportStyleSpec(council_name, body_size, logo, logo_type, logo_name, defaults)

    def wording(self, entry: _Entry) -> dict[str, tuple[str, str]]:
        wording = {}
        for quadrant in Quadrant.values:
            words = entry.entry(quadrant, f"[quadrant_wording] {quadrant}")
            wording[quadrant] = (words.text("label"), words.text("description"))
            words.done()
        entry.done()
        return wording
