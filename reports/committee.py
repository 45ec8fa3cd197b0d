"""Reads for committee reports: the figures of a round, the officer's text, and the one context both outputs use.

The page and the PDF are the same template rendered with the same context
(:func:`report_context`); the PDF is only the page's print rendering. The
figures come from the quadrant board (:func:`reports.selectors.board_for`) and
are kept as plain JSON-ready data (:func:`report_figures`), so a published
version can store exactly the numbers it printed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.contrib.humanize.templatetags.humanize import apnumber
from django.db.models import Prefetch
from django.template.loader import render_to_string

from actions.models import Action, ImpactMeasure, ImpactValue, MonitoringRound, Update
from actions.quadrants import OPEN_QUADRANTS, Quadrant
from inspections.models import Finding, Partnership
from people.models import Person
from reports.models import CommitteeReport, PublishedReport
from reports.selectors import SETTLED_STATES, Board, board_for

TEMPLATE = "reports/committee/report.html"
#: The officer's sections, in the order the report prints them.
SECTIONS = ("purpose", "recommendations", "key_issues", "background")
FIGURES_SCHEMA = 1


# The officer's text ------------------------------------------------------------

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


# Finding the round ----------------------------------------------------------------


def round_for_report(user: Any, round_pk: int) -> MonitoringRound:
    """The round, if it is in the user's partnership. Raises MonitoringRound.DoesNotExist otherwise."""
    return MonitoringRound.objects.visible_to(user).select_related("plan__inspection__partnership").get(pk=round_pk)


def report_or_default(monitoring_round: MonitoringRound, author: Person | None) -> CommitteeReport:
    """The round's report, or (unsaved) the report an officer would start from: text prefilled from the data."""
    existing = CommitteeReport.objects.filter(round=monitoring_round).first()
    if existing is not None:
        existing.round = monitoring_round  # already loaded with its plan and partnership
        return existing
    return CommitteeReport(
        plan=monitoring_round.plan, round=monitoring_round, **report_defaults(monitoring_round, author)
    )


_CADENCE_WORDS = {
    MonitoringRound.Cadence.MONTHLY: "Every month",
    MonitoringRound.Cadence.BI_MONTHLY: "Every two months",
    MonitoringRound.Cadence.QUARTERLY: "Every quarter",
}


def report_defaults(monitoring_round: MonitoringRound, author: Person | None) -> dict[str, Any]:
    """Sensible first text for a new report, in the shape officers write by hand."""
    plan = monitoring_round.plan
    inspection = plan.inspection
    partnership = inspection.partnership
    kind = inspection.get_kind_display()
    kind = kind[:1].lower() + kind[1:]
    theme = inspection.theme[:1].lower() + inspection.theme[1:]
    priority_count = inspection.findings.filter(kind=Finding.Kind.PRIORITY_ACTION).count()
    rounds_so_far = plan.rounds.filter(period_end__lte=monitoring_round.period_end).count()
    board_name = partnership.board_name or "the partnership board"

    if priority_count:
        priority = (
            f"The inspection identified {apnumber(priority_count)} priority area{'s' if priority_count > 1 else ''} "
            "for action. Progress on each is set out below."
        )
    else:
        priority = "The inspection resulted in no priority areas for action."
    history = []
    if inspection.letter_published:
        history.append(f"The inspection letter was published in {inspection.letter_published:%B %Y}")
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
        "- The four-quadrant progress update is in Appendix A, and the progress made on each area for "
        "improvement in Appendix B."
    )
    return {
        "title": f"{plan.title} – progress update, {monitoring_round.label}",
        "committee": "",
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
    }


# The figures -------------------------------------------------------------------


def _day(value: datetime.date | None) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def _number(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return f"{text}%" if unit == ImpactMeasure.Unit.PERCENT else text


def report_figures(board: Board, partnership: Partnership) -> dict[str, Any]:
    """Everything the report prints that comes from the data, as JSON-ready values.

    Read from the quadrant board of the round (the sub-group's agreed
    quadrants) plus the round's updates, the areas for improvement and the
    impact measures: a fixed number of queries whatever the number of actions.
    """
    plan, monitoring_round = board.plan, board.monitoring_round
    inspection = plan.inspection
    updates = {
        row["action_id"]: row
        for row in Update.objects.filter(round=monitoring_round).values(
            "action_id", "narrative", "barriers", "next_steps", "agreed_reason"
        )
    }
    areas = list(
        Finding.objects.filter(
            inspection_id=inspection.pk, kind__in=[Finding.Kind.PRIORITY_ACTION, Finding.Kind.AREA_FOR_IMPROVEMENT]
        ).order_by("-kind", "number")  # priority areas for action first, as on the plan page
    )
    links: dict[int, list[int]] = {}
    for action_id, finding_id in (
        Action.areas.through.objects.filter(action__plan=plan)
        .order_by("finding__kind", "finding__number")
        .values_list("action_id", "finding_id")
    ):
        links.setdefault(action_id, []).append(finding_id)

    def action_row(entry) -> dict[str, Any]:
        action = entry.action
        update = updates.get(action.pk, {})
        quadrant = entry.quadrant
        return {
            "id": action.pk,
            "reference": action.reference,
            "description": action.description,
            "lead": action.lead.name,
            "lead_agency": action.lead_agency.name,
            "target_date": _day(action.current_target_date),
            "revised": action.revised_target_date is not None,
            "original_target_date": _day(action.target_date),
            "quadrant": quadrant.key if quadrant else "",
            "quadrant_label": quadrant.label if quadrant else "No agreed quadrant",
            "quadrant_symbol": quadrant.symbol if quadrant else "",
            "proposed": entry.proposed,
            "movement": entry.movement_text,
            "progress": update.get("narrative", ""),
            "barriers": update.get("barriers", ""),
            "next_steps": update.get("next_steps", ""),
        }

    rows = {entry.action.pk: action_row(entry) for entry in board.entries}
    groups = [*board.quadrants, board.complete]
    counts = [
        {
            "key": group.info.key,
            "label": group.info.label,
            "description": group.info.description,
            "symbol": group.info.symbol,
            "count": group.count,
        }
        for group in groups
    ]

    attention = [
        rows[entry.action.pk] for key in (Quadrant.RED, Quadrant.AMBER) for entry in _group(board, key).entries
    ]

    # An action answering two areas is listed under both: each area's list is complete.
    by_area: dict[int, list[dict[str, Any]]] = {area.pk: [] for area in areas}
    unlinked: list[dict[str, Any]] = []
    for entry in board.entries:
        answered = [pk for pk in links.get(entry.action.pk, []) if pk in by_area]
        for pk in answered:
            by_area[pk].append(rows[entry.action.pk])
        if not answered:
            unlinked.append(rows[entry.action.pk])
    area_rows = [
        {"number": area.number, "kind": area.get_kind_display(), "text": area.text, "actions": by_area[area.pk]}
        for area in areas
        if area.kind == Finding.Kind.AREA_FOR_IMPROVEMENT or by_area[area.pk]
    ]
    if unlinked:
        area_rows.append({"number": None, "kind": "Other actions", "text": "", "actions": unlinked})

    priority_areas = []
    for area in (a for a in areas if a.kind == Finding.Kind.PRIORITY_ACTION):
        answering = [row for pk, row in rows.items() if area.pk in links.get(pk, [])]
        priority_areas.append(
            {"number": area.number, "text": area.text, "actions": answering, "status": _status(answering, board)}
        )

    measures = []
    for measure in ImpactMeasure.objects.filter(plan=plan).prefetch_related(
        Prefetch("values", queryset=ImpactValue.objects.order_by("period_end"))
    ):
        values = [
            {
                "period": value.period_label,
                "period_end": value.period_end.isoformat(),
                "value": float(value.value),
                "display": _number(value.value, measure.unit),
                "note": value.note,
            }
            for value in measure.values.all()
        ]
        measures.append(
            {
                "name": measure.name,
                "description": measure.description,
                "unit": measure.unit,
                "unit_label": measure.get_unit_display(),
                "higher_is_better": measure.higher_is_better,
                "baseline": float(measure.baseline) if measure.baseline is not None else None,
                "baseline_display": _number(measure.baseline, measure.unit),
                "target": float(measure.target) if measure.target is not None else None,
                "target_display": _number(measure.target, measure.unit),
                "values": values,
                "has_notes": any(value["note"] for value in values),
                "summary": _measure_summary(values, _number(measure.target, measure.unit)),
            }
        )

    previous = board.previous_round
    rounds_so_far = [r for r in board.rounds if r.period_end <= monitoring_round.period_end]
    return {
        "schema": FIGURES_SCHEMA,
        "partnership": {
            "name": partnership.name,
            "local_authority": partnership.local_authority,
            "board_name": partnership.board_name,
        },
        "plan": {"id": plan.pk, "title": plan.title},
        "inspection": {
            "title": inspection.short_title,
            "kind": inspection.get_kind_display(),
            "theme": inspection.theme,
        },
        "round": {
            "id": monitoring_round.pk,
            "label": monitoring_round.label,
            "state": monitoring_round.state,
            "state_label": monitoring_round.get_state_display(),
            "settled": monitoring_round.state in SETTLED_STATES,
            "period_end": _day(monitoring_round.period_end),
            "subgroup_meeting_on": _day(monitoring_round.subgroup_meeting_on),
            "endorsed_on": _day(monitoring_round.endorsed_on),
            "endorsement_meeting": monitoring_round.endorsement_meeting,
            "number": len(rounds_so_far),
        },
        "previous_round": previous.label if previous else None,
        "total": board.total,
        "complete": board.complete_total,
        "complete_percent": board.complete_percent,
        "proposed": sum(1 for entry in board.entries if entry.proposed),
        "counts": counts,
        "moves": [move.sentence for move in board.moves],
        "movement": {key: board.movement_counts.get(key, 0) for key in ("improved", "worse", "same", "new", "missing")},
        "attention": attention,
        "priority_areas": priority_areas,
        "impact_measures": measures,
        "appendix": [
            {
                "key": group.info.key,
                "label": group.info.label,
                "description": group.info.description,
                "symbol": group.info.symbol,
                "actions": [
                    {"reference": e.action.reference, "description": e.action.description} for e in group.entries
                ],
            }
            for group in groups
        ],
        "missing": [rows[entry.action.pk] for entry in board.missing],
        "areas": area_rows,
    }


def _group(board: Board, key: str):
    return next(group for group in [*board.quadrants, board.complete] if group.info.key == key)


def _status(rows: list[dict[str, Any]], board: Board) -> str:
    if not rows:
        return "No action answers this priority area yet."
    labels = {group.info.key: group.info.label.lower() for group in [*board.quadrants, board.complete]}
    counts = {key: sum(1 for row in rows if row["quadrant"] == key) for key in [Quadrant.COMPLETE, *OPEN_QUADRANTS]}
    parts = [f"{n} {labels[key]}" for key, n in counts.items() if n]
    missing = sum(1 for row in rows if not row["quadrant"])
    if missing:
        parts.append(f"{missing} without a quadrant")
    noun = "action" if len(rows) == 1 else "actions"
    return f"{len(rows)} {noun}: {', '.join(parts)}."


def _measure_summary(values: list[dict[str, Any]], target: str) -> str:
    if not values:
        return "No figures recorded yet."
    last = values[-1]
    sentence = f"{last['display']} in {last['period']}"
    if len(values) > 1:
        sentence += f", compared to {values[0]['display']} in {values[0]['period']}"
    if target:
        sentence += f" (target {target})"
    return sentence + "."


# The chart -----------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 480, 250
_LEFT, _RIGHT, _TOP, _BOTTOM = 58, 108, 20, 58
#: The text occupies this much above and below its baseline, in chart units (font size 14).
_TEXT_UP, _TEXT_DOWN = 11, 3


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 10
    magnitude = 10 ** len(str(int(value))) / 10
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _tick(value: float, unit: str) -> str:
    text = f"{value:g}"
    return f"{text}%" if unit == ImpactMeasure.Unit.PERCENT else text


def _label_position(x: float, point_y: float, label: str, lines_y: list[float], bottom_y: float) -> dict[str, Any]:
    """Where a value's label goes (above its marker unless a line or an edge is closer there than below).

    The label sits on a white box, so where a line still passes behind it the figure stays legible.
    """

    def clearance(baseline: float) -> float:
        top, bottom = baseline - _TEXT_UP, baseline + _TEXT_DOWN
        if top < _TOP - 8 or bottom > bottom_y - 2:
            return -1
        gaps = [0 if top <= line <= bottom else min(abs(line - top), abs(line - bottom)) for line in lines_y]
        return min([*gaps, 99])

    above, below = point_y - 11, point_y + 22
    y = above if clearance(above) >= 4 or clearance(above) >= clearance(below) else below
    width = 8.5 * len(label) + 6
    return {
        "x": x,
        "y": round(y, 1),
        "box_x": round(x - width / 2, 1),
        "box_y": round(y - _TEXT_UP - 2, 1),
        "box_width": round(width, 1),
        "box_height": _TEXT_UP + _TEXT_DOWN + 4,
    }


def measure_chart(measure: dict[str, Any]) -> dict[str, Any] | None:
    """Geometry for a small line chart of one measure: axes, ticks, points, baseline and target lines.

    Drawn as inline SVG by the template. The series has square markers and a
    value label at every point; the target line is dashed and the baseline
    dotted, each labelled in words, so the chart reads without colour.
    """
    values = measure["values"]
    if not values:
        return None
    unit = measure["unit"]
    highest = max([v["value"] for v in values] + [x for x in (measure["target"], measure["baseline"]) if x is not None])
    top = 100.0 if unit == ImpactMeasure.Unit.PERCENT else _nice_ceiling(highest * 1.1)
    plot_width = CHART_WIDTH - _LEFT - _RIGHT
    plot_height = CHART_HEIGHT - _TOP - _BOTTOM
    bottom_y = _TOP + plot_height

    def y(value: float) -> float:
        return round(bottom_y - plot_height * min(value, top) / top, 1)

    step = plot_width / len(values)
    lines_y = [y(v) for v in (measure["target"], measure["baseline"]) if v is not None]
    points = []
    for i, value in enumerate(values):
        x = round(_LEFT + step * (i + 0.5), 1)
        point_y = y(value["value"])
        points.append(
            {
                "x": x,
                "y": point_y,
                "marker_x": round(x - 5, 1),
                "marker_y": round(point_y - 5, 1),
                "label_at": _label_position(x, point_y, value["display"], lines_y, bottom_y),
                "label": value["display"],
                "period": value["period"],
            }
        )
    ticks = [{"y": y(top * i / 4), "label": _tick(top * i / 4, unit)} for i in range(5)]

    def line(value: float | None, words: str) -> dict[str, Any] | None:
        if value is None:
            return None
        return {"y": y(value), "label": words}

    unit_words = "Per cent" if unit == ImpactMeasure.Unit.PERCENT else "Number"
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": _LEFT,
        "tick_label_x": _LEFT - 6,
        "right": CHART_WIDTH - _RIGHT,
        "top": _TOP,
        "bottom": bottom_y,
        "label_x": CHART_WIDTH - _RIGHT + 6,
        "x_title_y": CHART_HEIGHT - 8,
        "x_title_x": round(_LEFT + plot_width / 2, 1),
        "y_title_x": 16,
        "y_title_y": round(_TOP + plot_height / 2, 1),
        "ticks": ticks,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "target": line(measure["target"], f"Target {measure['target_display']}"),
        "baseline": line(measure["baseline"], f"Baseline {measure['baseline_display']}"),
        "y_title": unit_words,
        "x_title": "Period",
    }


# The one context -----------------------------------------------------------------


@dataclass(frozen=True)
class Publication:
    """What a published version says about itself on its cover."""

    version: int
    published_at: datetime.datetime
    published_by: str


def report_context(
    user: Any,
    report: CommitteeReport,
    *,
    publication: Publication | None = None,
    interactive: bool = True,
) -> dict[str, Any]:
    """The context of the report template, for the page and the PDF alike.

    ``interactive`` adds what only the page needs (who may edit, the versions
    published so far); the PDF and the published copy leave it out.
    ``publication`` marks the output as a published version instead of a draft.
    """
    monitoring_round = report.round
    board = board_for(user, report.plan_id, monitoring_round.pk)
    partnership = monitoring_round.plan.inspection.partnership
    figures = report_figures(board, partnership)
    return report_context_for(
        report,
        figures,
        board=board,
        publication=publication,
        interactive=interactive,
        can_publish=interactive and user.has_perm("reports.publish", monitoring_round),
    )


def report_context_for(
    report: CommitteeReport,
    figures: dict[str, Any],
    *,
    board: Board | None = None,
    publication: Publication | None = None,
    interactive: bool = False,
    can_publish: bool = False,
) -> dict[str, Any]:
    versions = []
    if interactive and report.pk:
        versions = list(
            PublishedReport.objects.filter(report=report)
            .defer("html", "pdf", "figures")
            .select_related("published_by__user")
            .order_by("-version")
        )
    return {
        "report": report,
        "figures": figures,
        "sections": {name: text_blocks(getattr(report, name)) for name in SECTIONS},
        "measures": [{"figures": m, "chart": measure_chart(m)} for m in figures["impact_measures"]],
        "appendix_rows": _appendix_rows(figures["appendix"]),
        "quadrant_scale": board.scale if board else None,
        "publication": publication,
        "interactive": interactive,
        "can_publish": can_publish,
        "versions": versions,
        "monitoring_round": report.round,
    }


def _appendix_rows(quadrants: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Appendix A's layout: green and yellow, then amber and red, then complete (only if any)."""
    by_key = {quadrant["key"]: quadrant for quadrant in quadrants}
    rows = [[by_key[key] for key in OPEN_QUADRANTS[:2]], [by_key[key] for key in OPEN_QUADRANTS[2:]]]
    if by_key[Quadrant.COMPLETE]["actions"]:
        rows.append([by_key[Quadrant.COMPLETE]])
    return rows


def render_report_html(context: dict[str, Any]) -> str:
    """The report page as HTML, without a request: what the PDF and the published copy are made from."""
    return render_to_string(TEMPLATE, context)


# For commands ----------------------------------------------------------------------


def partnership_reader(partnership: Partnership) -> Any:
    """A stand-in for a signed-in member of one partnership, for command-line reads only.

    ``visible_to`` narrows every query to this partnership exactly as for a
    person; it holds no permissions (``has_perm`` is always False).
    """
    return SimpleNamespace(
        is_authenticated=True,
        is_active=True,
        person=SimpleNamespace(partnership_id=partnership.pk),
        has_perm=lambda *args, **kwargs: False,
    )
