"""The quadrant scale, defined once.

The meaning is the system's: four progress quadrants ordered best to worst,
plus complete. The words are the partnership's: each may set its own label and
description for every quadrant (``QuadrantWording``); Northumberland's May 2020
wording is the default. Board, forms, reports and exports all read from here,
and every quadrant carries a symbol and a shape name as well as a colour so
that it is never told by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Quadrant(models.TextChoices):
    COMPLETE = "complete", "Complete"
    GREEN = "green", "Green"
    YELLOW = "yellow", "Yellow"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


#: Best first. Complete is better than any open quadrant.
RANK = {Quadrant.COMPLETE: 0, Quadrant.GREEN: 1, Quadrant.YELLOW: 2, Quadrant.AMBER: 3, Quadrant.RED: 4}

#: The four open quadrants in board order (Appendix A: green, yellow / amber, red).
OPEN_QUADRANTS = [Quadrant.GREEN, Quadrant.YELLOW, Quadrant.AMBER, Quadrant.RED]

DEFAULT_WORDING: dict[str, tuple[str, str]] = {
    Quadrant.GREEN: ("Green", "Good progress, all actions taken and on track"),
    Quadrant.YELLOW: (
        "Yellow",
        "Sufficient progress, but needs finalising and / or some slippage in time scales",
    ),
    Quadrant.AMBER: (
        "Amber",
        "Moderate or little progress, and deadlines are either a long way off, ongoing, or have started to slip",
    ),
    Quadrant.RED: (
        "Red",
        "Little progress and / or time scales have either passed or are within the next 2 months and are unachievable",
    ),
    Quadrant.COMPLETE: ("Blue (complete)", "Complete: evidence of the change and a sustainability plan agreed"),
}

# A symbol and a shape for every quadrant, so colour is never the only cue.
_SYMBOL = {
    Quadrant.COMPLETE: ("✔", "tick"),
    Quadrant.GREEN: ("●", "circle"),
    Quadrant.YELLOW: ("▲", "triangle"),
    Quadrant.AMBER: ("◆", "diamond"),
    Quadrant.RED: ("■", "square"),
}


@dataclass(frozen=True)
class QuadrantInfo:
    key: str
    label: str
    description: str

    @property
    def rank(self) -> int:
        return RANK[Quadrant(self.key)]

    @property
    def symbol(self) -> str:
        return _SYMBOL[Quadrant(self.key)][0]

    @property
    def shape(self) -> str:
        return _SYMBOL[Quadrant(self.key)][1]

    @property
    def css_class(self) -> str:
        return f"app-quadrant--{self.key}"


def scale_for(partnership_id: int | None) -> dict[str, QuadrantInfo]:
    """The partnership's wording for every quadrant, best first (complete first)."""
    from actions.models import QuadrantWording

    wording = dict(DEFAULT_WORDING)
    if partnership_id is not None:
        for row in QuadrantWording.objects.filter(partnership_id=partnership_id):
            wording[row.quadrant] = (row.label, row.description)
    ordered = sorted(Quadrant, key=lambda q: RANK[q])
    return {q.value: QuadrantInfo(q.value, *wording[q]) for q in ordered}


def movement(before: str | None, after: str | None) -> str:
    """How an action moved between two rounds: new, improved, worse or same."""
    if not after:
        return "missing"
    if not before:
        return "new"
    delta = RANK[Quadrant(after)] - RANK[Quadrant(before)]
    if delta < 0:
        return "improved"
    if delta > 0:
        return "worse"
    return "same"
