"""Reads for the API: a round's figures and the facts feed, both from the board's own reading
(``reports.selectors.board_for``), so the API, the board, the committee report and the exports agree; an
endorsed round is read from its frozen record there, never from today's rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from actions.models import MonitoringRound, Outcome
from reports.selectors import Board, BoardEntry, board_for

#: The facts feed's columns, in order (JSON keys and the CSV header alike).
FACT_COLUMNS = [
    "plan_id",
    "plan_title",
    "round_id",
    "round_label",
    "round_period_end",
    "round_state",
    "round_as_at",
    "from_endorsed_record",
    "action_id",
    "action_reference",
    "action_description",
    "lead",
    "lead_agency",
    "target_date",
    "quadrant",
    "quadrant_label",
    "quadrant_proposed",
    "previous_quadrant",
    "movement",
    "overdue",
    "due_soon_not_green",
    "update_missing",
    "carried_forward",
    "retest_due",
    "outcome",
]


def figures_of(board: Board) -> dict[str, Any]:
    """A round's figures as the API gives them: ``Board.figures``, the numbers every page quotes."""
    figures = board.figures
    monitoring_round = board.monitoring_round
    return {
        "round_id": monitoring_round.pk,
        "plan_id": monitoring_round.plan_id,
        "label": monitoring_round.label,
        "state": monitoring_round.state,
        "as_at": figures.as_at,
        "from_endorsed_record": board.frozen,
        "total": figures.total,
        "complete": figures.complete,
        "complete_percent": figures.complete_percent,
        "denominator": figures.denominator,
        "quadrants": [
            {"quadrant": key, "label": info.label, "count": figures.counts.get(key, 0)}
            for key, info in board.scale.items()
        ],
        "update_missing": board.missing_total,
        "not_implemented": figures.closed.get(Outcome.NOT_IMPLEMENTED, 0),
        "superseded_or_merged": figures.closed.get(Outcome.SUPERSEDED, 0) + figures.closed.get(Outcome.MERGED, 0),
    }


def round_figures(monitoring_round: MonitoringRound) -> dict[str, Any]:
    """The figures of a round already fetched for the token holder (with its plan and inspection)."""
    return figures_of(board_for(monitoring_round.plan, monitoring_round))


def facts(rounds: Any) -> Iterator[dict[str, Any]]:
    """One row per action per round, as at that round, for ``rounds`` (a queryset already scoped to the token's
    partnership): each round's board read once, so the queries grow with the rounds, never with the actions."""
    for monitoring_round in rounds.select_related("plan__inspection").order_by("plan_id", "period_end", "pk"):
        board = board_for(monitoring_round.plan, monitoring_round)
        for entry in [*board.entries, *board.closed]:
            yield _fact(board, entry)


def _fact(board: Board, entry: BoardEntry) -> dict[str, Any]:
    monitoring_round = board.monitoring_round
    action = entry.action
    quadrant = entry.quadrant
    return {
        "plan_id": board.plan.pk,
        "plan_title": board.plan.title,
        "round_id": monitoring_round.pk,
        "round_label": monitoring_round.label,
        "round_period_end": monitoring_round.period_end,
        "round_state": monitoring_round.state,
        "round_as_at": board.as_at,
        "from_endorsed_record": board.frozen,
        "action_id": action.pk,
        "action_reference": action.reference,
        "action_description": action.description,
        "lead": action.lead.name,
        "lead_agency": action.lead_agency.name,
        "target_date": action.current_target_date,
        "quadrant": quadrant.key if quadrant else "",
        "quadrant_label": quadrant.label if quadrant else "",
        "quadrant_proposed": entry.proposed,
        "previous_quadrant": entry.previous.key if entry.previous else "",
        "movement": entry.movement,
        "overdue": entry.overdue,
        "due_soon_not_green": entry.due_soon_not_green,
        "update_missing": entry.update_missing,
        "carried_forward": entry.carried_forward,
        "retest_due": entry.retest_due,
        "outcome": entry.outcome,
    }
