"""The figures of a committee report: what it prints that comes from the data, as JSON-ready values.

They come from the quadrant board of the round (:func:`reports.selectors.board_for`)
and are kept as plain data, so a published version can store exactly the
numbers it printed (``PublishedReport.figures``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from actions.models import Action, EvidenceFile, ImpactMeasure, ImpactValue, Outcome, Retest, Update
from actions.quadrants import OPEN_QUADRANTS, Quadrant
from inspections.models import KINDS_NEEDING_ACTION, Finding, Partnership, kind_words, lower_words
from reports.selectors import Board, retests_as_at
from reports.sign_offs import area_sign_offs

FIGURES_SCHEMA = 1


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
    if board.frozen:  # an endorsed round says what its snapshot says
        updates = {
            entry.action.pk: vars(entry.action.update) for entry in board.entries if entry.action.update is not None
        }
    else:
        updates = {
            row["action_id"]: row
            for row in Update.objects.filter(round=monitoring_round).values(
                "action_id", "narrative", "barriers", "next_steps", "agreed_reason"
            )
        }
    # Priority areas for action first, as on the plan page; an endorsed round's in the words it recorded.
    sign_offs = area_sign_offs(board)
    areas = [row.area for row in sign_offs.areas]

    def signed_off(area) -> str:
        """The sentence saying the area was signed off as addressed, as at the round; empty if it was not."""
        return sign_offs.for_area(area.pk).sentence

    links: dict[int, list[int]] = {}
    if board.frozen:
        links = {entry.action.pk: list(entry.action.area_ids) for entry in board.entries}
    else:
        for action_id, finding_id in (
            Action.areas.through.objects.filter(action__plan=plan)
            .order_by("finding__kind", "finding__number")
            .values_list("action_id", "finding_id")
        ):
            links.setdefault(action_id, []).append(finding_id)

    if board.frozen:
        evidence = {entry.action.pk: list(entry.action.update.files) for entry in board.entries if entry.action.update}
    else:
        evidence = {}
        for action_id, name in EvidenceFile.objects.filter(update__round=monitoring_round).values_list(
            "update__action_id", "original_name"
        ):
            evidence.setdefault(action_id, []).append(name)

    def action_row(entry) -> dict[str, Any]:
        action = entry.action
        update = updates.get(action.pk, {})
        quadrant = entry.quadrant
        complete = quadrant is not None and quadrant.key == Quadrant.COMPLETE and not entry.proposed
        return {
            # Complete as at the round: the day it was completed, and the evidence the lead gave.
            "completed_on": _day(action.completed_on) if complete else "",
            "evidence_files": evidence.get(action.pk, []) if complete else [],
            "carried_forward": entry.carried_forward,
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

    # An action answering two areas is set out in full under the first and cross-referenced under the others,
    # so each area's list is complete and no action is printed twice.
    by_area: dict[int, list[dict[str, Any]]] = {area.pk: [] for area in areas}
    area_names = {area.pk: str(area) for area in areas}
    unlinked: list[dict[str, Any]] = []
    for entry in board.entries:
        answered = [pk for pk in links.get(entry.action.pk, []) if pk in by_area]
        for position, pk in enumerate(answered):
            row = rows[entry.action.pk]
            by_area[pk].append(row if position == 0 else {**row, "see": area_names[answered[0]]})
        if not answered:
            unlinked.append(rows[entry.action.pk])
    area_rows = [
        {
            "name": str(area),
            "number": area.number,
            "kind": area.kind_label,
            "text": area.text,
            "actions": by_area[area.pk],
            "sign_off": signed_off(area),
        }
        for area in areas
        if area.kind != Finding.Kind.PRIORITY_ACTION or by_area[area.pk]
    ]
    if unlinked:
        area_rows.append(
            {
                "name": "Other actions",
                "number": None,
                "kind": "Other actions",
                "text": "",
                "actions": unlinked,
                "sign_off": "",
            }
        )

    priority_areas = []
    for area in (a for a in areas if a.kind == Finding.Kind.PRIORITY_ACTION):
        answering = [row for pk, row in rows.items() if area.pk in links.get(pk, [])]
        priority_areas.append(
            {
                "name": str(area),
                "number": area.number,
                "text": area.text,
                "actions": answering,
                "status": _status(answering, board),
                "sign_off": signed_off(area),
            }
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
    retests = board.frozen_retests if board.frozen else retests_as_at(plan, board.as_at)
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
            # "area for improvement", "recommendation": what the plan's areas are called, in its regime's words.
            "area_words": area_words(inspection),
        },
        "round": {
            "id": monitoring_round.pk,
            "label": monitoring_round.label,
            "state": monitoring_round.state,
            "state_label": monitoring_round.get_state_display(),
            "settled": monitoring_round.is_settled,
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
        # Not implemented, superseded or merged: not complete, and not in the denominator (RoundFigures.closed_words).
        "not_counted": board.figures.closed_words,
        "not_implemented": [_closed_row(entry) for entry in board.closed if entry.outcome == Outcome.NOT_IMPLEMENTED],
        "replaced": [_closed_row(entry) for entry in board.closed if entry.outcome != Outcome.NOT_IMPLEMENTED],
        "retests": [
            {
                **row,
                "tested_on": _day(datetime.date.fromisoformat(row["tested_on"])),
                "reopened": row["result"] == Retest.Result.NOT_SUSTAINED,
            }
            for row in retests
        ],
        "retests_due": [
            {"reference": entry.action.reference, "description": entry.action.description}
            for entry in board.entries
            if entry.retest_due
        ],
        "proposed": sum(1 for entry in board.entries if entry.proposed),
        "counts": counts,
        "moves": [move.sentence for move in board.moves],
        "movement": {key: board.movement_counts.get(key, 0) for key in ("improved", "worse", "same", "new", "missing")},
        "attention": attention,
        "priority_areas": priority_areas,
        "sign_off_as_at": _day(sign_offs.as_at.day),
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


def _closed_row(entry) -> dict[str, Any]:
    """An action not implemented, superseded or merged as at the round, with the outcome in words (and reasons)."""
    return {
        "id": entry.action.pk,
        "reference": entry.action.reference,
        "description": entry.action.description,
        "sentence": entry.outcome_sentence,
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


def area_words(inspection: Any, *, plural: bool = False) -> str:
    """What the findings a plan answers are called inside a sentence, in its regime's words: the areas for
    improvement, else the recommendations, else the first kind it actions ("Progress on each <words>")."""
    kinds = [kind for kind in inspection.regime.finding_kinds if kind in KINDS_NEEDING_ACTION]
    preferred = [k for k in (Finding.Kind.AREA_FOR_IMPROVEMENT, Finding.Kind.RECOMMENDATION) if k in kinds]
    kind = (preferred or kinds or [Finding.Kind.AREA_FOR_IMPROVEMENT])[0]
    return lower_words(kind_words(inspection.kind, kind)[1 if plural else 0])
