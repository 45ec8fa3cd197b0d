"""A round's actions as a spreadsheet (XLSX) or CSV: one row per action, every field, the quadrant in words.

Every text cell is neutralised against formula injection: a value starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
single quote, so Excel, LibreOffice and Google Sheets show it as text instead
of running it.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from actions.models import Action, MonitoringRound, Update
from reports.selectors import board_for

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: (heading, width in characters) for every column, in order.
COLUMNS: list[tuple[str, int]] = [
    ("Reference", 10),
    ("Action", 50),
    ("Areas for improvement", 16),
    ("Lead", 20),
    ("Lead agency", 24),
    ("Supporting agencies", 24),
    ("Target date", 13),
    ("Revised target date", 13),
    ("Reason for the revised date", 30),
    ("Measure of success", 36),
    ("Agreed quadrant", 16),
    ("Previous quadrant", 16),
    ("Movement", 18),
    ("Flags", 18),
    ("Update status", 12),
    ("Progress", 50),
    ("Evidence", 36),
    ("Barriers", 36),
    ("Next steps", 36),
    ("Sub-group's reason", 30),
    ("Completed on", 13),
    ("Sustainability plan", 36),
]
HEADINGS = [heading for heading, _ in COLUMNS]


def neutralise(value: Any) -> Any:
    """A cell value that no spreadsheet will run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def file_stem(monitoring_round: MonitoringRound) -> str:
    return slugify(f"{monitoring_round.plan.title} {monitoring_round.label}")[:100] or "round"


def round_rows(monitoring_round: MonitoringRound) -> list[dict[str, Any]]:
    """One row per action of the round's plan, in plan order, keyed by :data:`HEADINGS`.

    The quadrant is the one the quadrant board shows (agreed, or the lead's
    proposal marked as such while the round is open). ``monitoring_round``
    has been fetched for the reader (scoped and checked), with its plan and
    inspection. A fixed number of queries whatever the number of actions.
    """
    board = board_for(monitoring_round.plan, monitoring_round)
    updates = {update.action_id: update for update in Update.objects.filter(round=monitoring_round)}
    supporting: dict[int, list[str]] = {}
    for action_id, name in Action.supporting_agencies.through.objects.filter(
        action__plan_id=monitoring_round.plan_id
    ).values_list("action_id", "agency__name"):
        supporting.setdefault(action_id, []).append(name)
    areas: dict[int, list[str]] = {}
    for action_id, number, kind in (
        Action.areas.through.objects.filter(action__plan_id=monitoring_round.plan_id)
        .order_by("finding__kind", "finding__number")
        .values_list("action_id", "finding__number", "finding__kind")
    ):
        areas.setdefault(action_id, []).append(f"{'PAA ' if kind == 'priority' else ''}{number}")

    rows = []
    for entry in board.entries:
        action = entry.action
        update = updates.get(action.pk)
        quadrant = ""
        if entry.quadrant:
            quadrant = entry.quadrant.label + (" (proposed)" if entry.proposed else "")
        rows.append(
            dict(
                zip(
                    HEADINGS,
                    [
                        action.reference,
                        action.description,
                        ", ".join(areas.get(action.pk, [])),
                        action.lead.name,
                        action.lead_agency.name,
                        ", ".join(sorted(supporting.get(action.pk, []))),
                        action.target_date,
                        action.revised_target_date,
                        action.revised_target_reason,
                        action.measure_of_success,
                        quadrant or "No quadrant",
                        entry.previous.label if entry.previous else "",
                        entry.movement_text,
                        "; ".join(entry.flags),
                        update.get_status_display() if update else "Not started",
                        update.narrative if update else "",
                        update.evidence if update else "",
                        update.barriers if update else "",
                        update.next_steps if update else "",
                        update.agreed_reason if update else "",
                        action.completed_on,
                        action.sustainability_plan,
                    ],
                    strict=True,
                )
            )
        )
    return rows


def rows_to_csv(rows: list[dict[str, Any]]) -> str:
    """CSV with a byte-order mark, so Excel reads it as UTF-8; dates as YYYY-MM-DD."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    for row in rows:
        writer.writerow([_csv_value(row[heading]) for heading in HEADINGS])
    return out.getvalue()


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(value)


def rows_to_xlsx(rows: list[dict[str, Any]], *, title: str) -> bytes:
    """A workbook laid out to print: bold header repeated on every page, A4 landscape, one page wide."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    sheet.append(HEADINGS)
    for row in rows:
        sheet.append([_xlsx_value(row[heading]) for heading in HEADINGS])

    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, (_heading, width) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.alignment = wrap
            if isinstance(cell.value, datetime.date):
                cell.number_format = "d mmm yyyy"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    sheet.oddHeader.center.text = _header_text(title)
    sheet.oddFooter.right.text = "Page &P of &N"
    workbook.properties.title = title

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _header_text(title: str) -> str:
    # "&" starts a code in Excel's header language; double it to print it.
    return title.replace("&", "&&")[:200]
