"""The officer's text of a committee report: how it is read, and what a new report starts from.

The officer types plain text; :func:`text_blocks` reads it as paragraphs and
bullet lists for the template, which escapes every line. A round without a
report yet gets an unsaved draft (:func:`report_or_default`) that starts from
the partnership's own wording (its :class:`reports.models.ReportStyle`
defaults) and, for a section without one, text drawn from the plan
(:func:`report_defaults`), in the shape officers write by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.humanize.templatetags.humanize import apnumber

from actions.models import MonitoringRound
from inspections.models import Finding, lower_words
from people.models import Person
from reports.models import IMPLICATIONS, CommitteeReport, ReportStyle
from reports.report_figures import area_words
from reports.sign_offs import priority_area_count

#: The officer's written sections, in the order the report prints them.
SECTIONS = ("purpose", "recommendations", "key_issues", "background", "background_papers")
#: The report's author and contact details.
AUTHOR_FIELDS = ("author_name", "author_role", "author_email", "author_telephone")
#: Each implication as a form field and a partnership default: "implication_legal" and so on.
IMPLICATION_FIELDS = tuple(f"implication_{key}" for key, _label in IMPLICATIONS)
#: Everything a partnership may give default wording for.
DEFAULT_FIELDS = (*SECTIONS, *IMPLICATION_FIELDS, "sign_off", *AUTHOR_FIELDS)

_BULLET = re.compile(r"^\s*[-*•]\s+")


@dataclass
class TextBlock:
    """A paragraph (its lines, shown with line breaks) or a bullet list (its items)."""

    kind: str  # "paragraph" or "list"
    lines: list[str] = field(default_factory=list)

    @property
    def is_list(self) -> bool:
        return self.kind == "list"


def text_blocks(text: str) -> list[TextBlock]:
    """Plain text as paragraphs and bullet lists.

    A blank line ends a paragraph; a line starting with "- " (or "* ", "• ") is
    a bullet. Nothing is interpreted as markup: the template escapes every line.
    """
    blocks: list[TextBlock] = []
    current: TextBlock | None = None
    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            current = None
            continue
        bullet = _BULLET.match(raw)
        if bullet and not raw[bullet.end() :].strip():
            continue  # a bullet with nothing after it
        kind = "list" if bullet else "paragraph"
        if current is None or current.kind != kind:
            current = TextBlock(kind)
            blocks.append(current)
        current.lines.append(raw[bullet.end() :].strip() if bullet else line)
    return blocks


@dataclass(frozen=True)
class SignOffLine:
    """One clearance line: who (a role) and what they said (a name, a date)."""

    role: str
    detail: str


def sign_off_lines(text: str) -> list[SignOffLine]:
    """The sign-off as a table's rows: one a line, "Role: name, date" split at its first colon."""
    lines = []
    for raw in (text or "").splitlines():
        line = _BULLET.sub("", raw).strip()
        if line:
            role, _colon, detail = line.partition(":")
            lines.append(SignOffLine(role.strip(), detail.strip()) if detail.strip() else SignOffLine(line, ""))
    return lines


def implication_rows(implications: dict[str, str]) -> list[dict[str, str]]:
    """The implications table's rows, every row in its place, "None" where nothing was written."""
    return [
        {"key": key, "label": label, "text": (implications or {}).get(key, "").strip() or "None"}
        for key, label in IMPLICATIONS
    ]


def report_style(partnership: Any) -> ReportStyle:
    """The partnership's report style, or (unsaved) the style a partnership starts with."""
    style = ReportStyle.objects.filter(partnership=partnership).first()
    if style is None:
        style = ReportStyle(partnership=partnership, council_name=partnership.local_authority, defaults={})
    style.partnership = partnership
    return style


def report_or_default(monitoring_round: MonitoringRound, author: Person | None) -> CommitteeReport:
    """The round's report, or (unsaved) the report an officer would start from: the partnership's wording,
    else text prefilled from the data."""
    existing = CommitteeReport.objects.filter(round=monitoring_round).first()
    if existing is not None:
        existing.round = monitoring_round  # already loaded with its plan and partnership
        return existing
    style = report_style(monitoring_round.plan.inspection.partnership)
    return CommitteeReport(
        plan=monitoring_round.plan, round=monitoring_round, **report_defaults(monitoring_round, author, style.defaults)
    )


_CADENCE_WORDS = {
    MonitoringRound.Cadence.MONTHLY: "Every month",
    MonitoringRound.Cadence.BI_MONTHLY: "Every two months",
    MonitoringRound.Cadence.QUARTERLY: "Every quarter",
}


def report_defaults(
    monitoring_round: MonitoringRound, author: Person | None, partnership_defaults: dict[str, str] | None = None
) -> dict[str, Any]:
    """Sensible first text for a new report: the partnership's wording where it has some, else drawn from the plan."""
    drawn = _drawn_from_plan(monitoring_round, author)
    chosen = {name: value.strip() for name, value in (partnership_defaults or {}).items() if name in DEFAULT_FIELDS}
    implications = {
        key: chosen.get(f"implication_{key}", "") or drawn["implications"].get(key, "") for key, _label in IMPLICATIONS
    }
    return {
        **drawn,
        **{name: value for name, value in chosen.items() if value and not name.startswith("implication_")},
        "implications": {key: text for key, text in implications.items() if text},
    }


def _drawn_from_plan(monitoring_round: MonitoringRound, author: Person | None) -> dict[str, Any]:
    plan = monitoring_round.plan
    inspection = plan.inspection
    partnership = inspection.partnership
    kind = inspection.regime.name_in_sentence
    theme = inspection.theme_in_sentence
    priority_count = priority_area_count(monitoring_round)
    rounds_so_far = plan.rounds.filter(period_end__lte=monitoring_round.period_end).count()
    board_name = partnership.board_name or "partnership board"
    if not board_name.lower().startswith("the "):  # a body's name, as a sentence reads it
        board_name = f"the {board_name}"

    noun, words = inspection.regime.noun, inspection.regime.words(Finding.Kind.PRIORITY_ACTION)
    if words is None:  # a review's recommendations: no priority findings in its regime
        priority = f"The {noun}'s plan answers each of its {area_words(inspection, plural=True)}."
    elif priority_count:
        named = lower_words(words.singular if priority_count == 1 else words.plural)
        priority = f"The {noun} identified {apnumber(priority_count)} {named}. Progress on each is set out below."
    else:
        priority = f"The {noun} resulted in no {lower_words(words.plural)}."
    history = []
    if inspection.letter_published:
        published = next((e.label for e in inspection.regime.events if e.field == "letter_published"), "")
        document = "letter" if "letter" in published.lower() else "report"
        history.append(f"The {noun} {document} was published in {inspection.letter_published:%B %Y}")
    if inspection.plan_submitted:
        history.append(f"the action plan was submitted in {inspection.plan_submitted:%B %Y}")
    if inspection.plan_endorsed:
        history.append(f"accepted by the inspectorates in {inspection.plan_endorsed:%B %Y}")
    background = []
    if history:
        sentence = "; ".join(history[:2]) + (f" and {history[2]}" if len(history) > 2 else "")
        background.append(f"- {sentence[:1].upper()}{sentence[1:]}.")
    if rounds_so_far > 1:
        background.append(f"- There have been {apnumber(rounds_so_far)} rounds of monitoring up to this point.")
    else:
        background.append("- This is the first round of monitoring.")
    background.append(
        "- The four-quadrant progress update is in Appendix A, and the progress made on each "
        f"{area_words(inspection)} in Appendix B."
    )
    return {
        "title": f"{plan.title} – progress update, {monitoring_round.label}",
        "committee": partnership.committee_name,
        "meeting_date": None,
        "report_of": author.name if author else "",
        "report_of_role": author.job_title if author else "",
        "cabinet_member": "",
        "reference": "",
        "purpose": (
            f"To consider progress with the action plan resulting from the {kind} of {theme} "
            f"in {inspection.fieldwork_start:%B %Y}, as it stood at the {monitoring_round.label} monitoring round."
        ),
        "recommendations": (
            "It is recommended that the committee:\n- acknowledges the progress made\n"
            "- identifies any areas for additional scrutiny"
        ),
        "key_issues": "\n".join(
            [
                f"- {priority}",
                f"- {_CADENCE_WORDS.get(monitoring_round.cadence, 'Every round')} the lead for each action reports "
                "progress. The sub-group sense-checks every update and agrees the quadrant the action is in, and "
                f"{board_name} endorses the progress report.",
                "- The areas where most progress is still needed are set out below, with the barriers the leads "
                "have reported.",
            ]
        ),
        "background": "\n".join(background),
        "background_papers": f"- {inspection.paper}" if inspection.paper else "",
        "implications": {"safeguarding": f"The plan answers the {kind} of {theme}."},
        "sign_off": "",
        "author_name": author.name if author else "",
        "author_role": author.job_title if author else "",
        "author_email": author.user.email if author else "",
        "author_telephone": "",
    }
