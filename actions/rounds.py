"""A monitoring round's life, in one place: its states, the moves between them, and what each state allows.

::

    draft ──open──> open ⇄ sense_check ──close──> agreed ──endorse──> endorsed

Services move rounds only along :data:`TRANSITIONS`; selectors, views and
templates ask the round (``takes_updates``, ``decisions_open``,
``is_settled``, ``is_endorsed``) rather than compare state names or labels.
"""

from __future__ import annotations

from django.db import models


class RoundState(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for updates"
    SENSE_CHECK = "sense_check", "Sense check"
    AGREED = "agreed", "Agreed by sub-group"
    ENDORSED = "endorsed", "Endorsed by board"


#: Where a round may go from each state. Opening and the sense check are moved by ``round_set_state``,
#: agreeing by ``round_close`` and endorsing by ``round_endorse``.
TRANSITIONS: dict[str, frozenset[str]] = {
    RoundState.DRAFT: frozenset({RoundState.OPEN}),
    RoundState.OPEN: frozenset({RoundState.SENSE_CHECK, RoundState.AGREED}),
    RoundState.SENSE_CHECK: frozenset({RoundState.OPEN, RoundState.AGREED}),
    RoundState.AGREED: frozenset({RoundState.ENDORSED}),
    RoundState.ENDORSED: frozenset(),
}

#: Leads may write and submit updates.
TAKES_UPDATES = frozenset({RoundState.OPEN})
#: The chair may agree quadrants (while leads are still writing, or once updates are in).
DECISIONS_OPEN = frozenset({RoundState.OPEN, RoundState.SENSE_CHECK})
#: Every action has an agreed quadrant: the round's figures can be quoted and reported.
SETTLED = frozenset({RoundState.AGREED, RoundState.ENDORSED})


def can_move(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, frozenset())


def sources_of(to_state: str) -> tuple[str, ...]:
    """The states from which a round may move to ``to_state``."""
    return tuple(state for state, targets in TRANSITIONS.items() if to_state in targets)
