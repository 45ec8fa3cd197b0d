"""A round's actions as a spreadsheet (XLSX) or CSV: one row per action, every field, the quadrant in words.

This module builds the rows; :mod:`transfers.spreadsheets` writes them, with
its guard against formula injection on every text cell.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify

from actions.models import Action, MonitoringRound, Update
from reports.selectors import board_for
from reports.sign_offs import area_sign_offs
from transfers.spreadsheets import SheetToWrite, csv_text, workbook_bytes

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
    ("Areas signed off", 36),
]
HEADINGS = [heading for heading, _ in COLUMNS]
WIDTHS = [width for _, width in COLUMNS]


def file_stem(monitoring_round: MonitoringRound) -> str:
    return slugify(f"{monitoring_round.plan.title} {monitoring_round.label}")[:100] or "round"


def round_rows(monitoring_round: MonitoringRound) -> list[dict[str, Any]]:
    """One row per action of the round's plan, in plan order, keyed by :data:`HEADINGS`.

    The quadrant is the one the quadrant board shows (agreed, or the lead's
    proposal marked as such while the round is open); an action's areas signed off as addressed are
    those signed off as at the round (:mod:`reports.sign_offs`). ``monitoring_round``
    has been fetched for the reader (scoped and checked), with its plan and
    inspection. A fixed number of queries whatever the number of actions.
    """
    board = board_for(monitoring_round.plan, monitoring_round)
    sign_offs = area_sign_offs(board)
    signed_off: dict[int, list[str]] = {}

    def note_sign_off(action_id: int, finding_id: int, reference: str) -> None:
        state = sign_offs.for_area(finding_id)
        if state.signed_off:
            signed_off.setdefault(action_id, []).append(f"{reference}: {state.summary[0].lower()}{state.summary[1:]}")

    # The round's actions, then those not implemented, superseded or merged as at the round (their outcome in words).
    listed = [*board.entries, *board.closed]
    if board.frozen:  # an endorsed round exports what its snapshot says, not today's rows
        updates = {entry.action.pk: entry.action.update for entry in listed if entry.action.update}
        supporting = {entry.action.pk: list(entry.action.supporting_agencies) for entry in listed}
        areas = {entry.action.pk: list(entry.action.area_references) for entry in listed}
        for entry in listed:
            for finding_id, reference in zip(entry.action.area_ids, entry.action.area_references, strict=False):
                note_sign_off(entry.action.pk, finding_id, reference)
    else:
        updates = {update.action_id: update for update in Update.objects.filter(round=monitoring_round)}
        supporting = {}
        for action_id, name in Action.supporting_agencies.through.objects.filter(
            action__plan_id=monitoring_round.plan_id
        ).values_list("action_id", "agency__name"):
            supporting.setdefault(action_id, []).append(name)
        areas = {}
        for link in (
            Action.areas.through.objects.filter(action__plan_id=monitoring_round.plan_id)
            .select_related("finding")
            .only("action_id", "finding__kind", "finding__number")
            .order_by("finding__kind", "finding__number")
        ):
            areas.setdefault(link.action_id, []).append(link.finding.reference)
            note_sign_off(link.action_id, link.finding_id, link.finding.reference)

    rows = []
    for entry in listed:
        action = entry.action
        update = updates.get(action.pk)
        quadrant = entry.outcome_sentence
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
                        "; ".join(signed_off.get(action.pk, [])),
                    ],
                    strict=True,
                )
            )
        )
    return rows


def rows_to_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV, for Excel: UTF-8 with a byte-order mark, dates as YYYY-MM-DD."""
    return csv_text(HEADINGS, _cells(rows))


def rows_to_xlsx(rows: list[dict[str, Any]], *, title: str) -> bytes:
    """The rows as a workbook laid out to print: shaded header repeated on every page, A4 landscape, one page wide."""
    return workbook_bytes(
        [SheetToWrite("Actions", HEADINGS, _cells(rows), WIDTHS)],
        date_format="d mmm yyyy",
        header_fill="DDDDDD",
        header_wrap=True,
        filters=True,
        print_title=title,
    )


def _cells(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [[row[heading] for heading in HEADINGS] for row in rows]
