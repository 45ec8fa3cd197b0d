"""The quadrant scale, defined once.

The meaning is the system's: four progress quadrants ordered best to worst,
plus complete. The words are the partnership's: each may set its own label and
description for every quadrant (``QuadrantWording``); Northumberland's May 2020
wording is the default. Board, forms, reports and exports all read from here,
and every quadrant carries a symbol and a shape name as well as a colour so
that it is never told by colour alone.

The look is here too (:data:`STYLE`): each quadrant's colours and border
style. :func:`stylesheet` writes them out as CSS custom properties, which
``manage.py quadrant_css`` saves as ``static/css/quadrants.css`` for every
page, the board and the PDF; the other stylesheets only say
``var(--app-quadrant-green-border)`` and never repeat a colour.
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
_RANK_OF_VALUE = {quadrant.value: rank for quadrant, rank in RANK.items()}

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
class QuadrantStyle:
    """How a quadrant looks.

    ``text`` on ``tint`` is the quadrant's tag (GOV.UK's tag colours, AA
    contrast); ``strong`` and ``border`` (a CSS border style) mark its box on
    the board and in the committee report, so neighbouring quadrants differ by
    line as well as by colour.
    """

    text: str
    tint: str
    strong: str
    border: str


STYLE: dict[str, QuadrantStyle] = {
    Quadrant.COMPLETE: QuadrantStyle(text="#0c2d4a", tint="#bbd4ea", strong="#1d70b8", border="solid"),
    Quadrant.GREEN: QuadrantStyle(text="#005a30", tint="#cce2d8", strong="#00703c", border="solid"),
    Quadrant.YELLOW: QuadrantStyle(text="#594d00", tint="#fff7bf", strong="#b58800", border="dashed"),
    Quadrant.AMBER: QuadrantStyle(text="#6e3619", tint="#fcd6c3", strong="#f47738", border="double"),
    Quadrant.RED: QuadrantStyle(text="#2a0b06", tint="#f4cdc6", strong="#d4351c", border="dotted"),
}

#: Where :func:`stylesheet` is saved, under ``static/``.
STYLESHEET = "css/quadrants.css"


def stylesheet() -> str:
    """:data:`STYLE` as CSS custom properties on ``:root``, best quadrant first.

    For each quadrant ``--app-quadrant-<key>-text``, ``-tint``, ``-strong``,
    ``-border-style``, and ``-border`` (style and strong colour together, for
    a border shorthand such as ``border-left: 12px var(--app-quadrant-red-border)``).
    """
    lines = [
        "/* Generated from actions/quadrants.py by `python manage.py quadrant_css`: do not edit by hand.",
        "   The quadrant scale's colours and border styles, for app.css, board.css and report.css. */",
        "",
        ":root {",
    ]
    for quadrant in sorted(Quadrant, key=lambda q: RANK[q]):
        style, name = STYLE[quadrant], f"--app-quadrant-{quadrant.value}"
        lines += [
            f"  {name}-text: {style.text};",
            f"  {name}-tint: {style.tint};",
            f"  {name}-strong: {style.strong};",
            f"  {name}-border-style: {style.border};",
            f"  {name}-border: {style.border} {style.strong};",
        ]
    lines.append("}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class QuadrantInfo:
    key: str
    label: str
    description: str

    @property
    def rank(self) -> int:
        return _RANK_OF_VALUE[self.key]

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
    # By the plain value: building the enum member (Quadrant(after)) for each of a board's actions was a third of it.
    delta = _RANK_OF_VALUE[after] - _RANK_OF_VALUE[before]
    if delta < 0:
        return "improved"
    if delta > 0:
        return "worse"
    return "same"


#: The words partnerships' own sheets use for where an action stands (RAG, BRAG, plain English), compared
#: after :func:`_word`; a partnership's own labels (``scale_for``) are recognised too.
WORDS: dict[str, Quadrant] = {
    **dict.fromkeys(
        ["complete", "completed", "blue", "b", "done", "closed", "achieved", "finished"], Quadrant.COMPLETE
    ),
    **dict.fromkeys(["green", "g", "on track", "good progress", "on target"], Quadrant.GREEN),
    **dict.fromkeys(["yellow", "y", "some slippage", "slipping", "sufficient progress"], Quadrant.YELLOW),
    **dict.fromkeys(
        ["amber", "a", "in progress", "ongoing", "started", "not started", "at risk", "little progress"], Quadrant.AMBER
    ),
    **dict.fromkeys(["red", "r", "off track", "overdue", "behind", "unachievable", "not achieved"], Quadrant.RED),
}


def _word(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in str(text).lower()).split())


def quadrant_from_word(text: str, partnership_id: int | None = None) -> str | None:
    """The quadrant a sheet's word means ("Green", "On track", "Blue", "Not started", the partnership's own
    label), or None when it is not one we know."""
    word = _word(text)
    if word in WORDS:
        return WORDS[word].value
    for info in scale_for(partnership_id).values():
        if word in (_word(info.label), info.key):
            return info.key
    # "Green - on track", "Amber (slipping)": the first word decides.
    first = word.split(" ", 1)[0] if word else ""
    return WORDS[first].value if first in WORDS and len(first) > 1 else None
