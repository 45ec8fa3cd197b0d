"""Linking actions that track the same recommendation in different plans (or twice in one): the one way a link
between two of a partnership's actions is made or removed (``Action.related_actions``, symmetrical).

Each change is written to both actions' change history, attributed to the person who made it, with the reason
saying which action was linked or unlinked (``LINKED`` / ``UNLINKED``), so the link page can say who linked
what and when (:func:`link_history`).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet

from actions.models import Action
from inspections.tenancy import partnership_id_for
from jtai_tracker.versions import Versioned
from jtai_tracker.writes import attribute
from people.models import Person

LINKED = "Linked to"
UNLINKED = "No longer linked to"
#: simple-history keeps at most this many characters of a change's reason.
REASON_LENGTH = 100


class LinkRefused(Exception):
    """A link that cannot be made, with the sentence the page shows by the field."""


def link_candidates(action: Action) -> QuerySet:
    """The partnership's actions ``action`` may be linked to: every other one not linked to it yet, by plan."""
    return (
        Action.objects.for_partnership(partnership_id_for(action))
        .exclude(pk=action.pk)
        .exclude(pk__in=action.related_actions.values("pk"))
        .select_related("plan")
        .order_by("-plan__inspection__fieldwork_start", "plan_id", "position", "pk")
    )


def _describe(action: Action) -> str:
    return f"{action.reference} in {action.plan.title}"


def _locked_pair(action: Action, other: Action) -> tuple[Action, Action]:
    """Both actions as they are now, locked in the order of their ids (so two links made at once queue)."""
    rows = {row.pk: row for row in Action.objects.select_for_update().filter(pk__in=[action.pk, other.pk])}
    return rows[action.pk], rows[other.pk]


def _record(action: Action, reason: str, by: Person | None) -> None:
    """A history row for the link, naming who made it. Not an edit of the action's own fields, so its ``version``
    stays: a form open on the action still saves (``Versioned.save`` is passed over on purpose)."""
    attribute(action, by)
    action._change_reason = reason[:REASON_LENGTH]
    super(Versioned, action).save(update_fields=["version"])


def related_action_link(*, action: Action, other: Action, by: Person | None) -> bool:
    """Link ``action`` and ``other`` as tracking the same recommendation, both ways, and record it in both
    histories. Refuses (``LinkRefused``) the action itself and an action of another partnership. Returns False,
    changing nothing, when they were linked already."""
    if other.pk == action.pk:
        raise LinkRefused("An action cannot be linked to itself: choose another action")
    if partnership_id_for(other) != partnership_id_for(action):
        raise LinkRefused("Choose one of your partnership's actions")
    with transaction.atomic():
        action, other = _locked_pair(action, other)
        if action.related_actions.filter(pk=other.pk).exists():
            return False
        action.related_actions.add(other)
        _record(action, f"{LINKED} {_describe(other)}", by)
        _record(other, f"{LINKED} {_describe(action)}", by)
    return True


def related_action_unlink(*, action: Action, other: Action, by: Person | None) -> bool:
    """Remove the link between ``action`` and ``other``, recording it in both histories. Returns False, changing
    nothing, when they were not linked."""
    with transaction.atomic():
        action, other = _locked_pair(action, other)
        if not action.related_actions.filter(pk=other.pk).exists():
            return False
        action.related_actions.remove(other)
        _record(action, f"{UNLINKED} {_describe(other)}", by)
        _record(other, f"{UNLINKED} {_describe(action)}", by)
    return True


def link_history(action: Action) -> QuerySet:
    """Every link made or removed on ``action``, newest first, with who did it (``jtai_tracker.writes.author_name``)."""
    return (
        action.history.filter(
            Q(history_change_reason__startswith=LINKED) | Q(history_change_reason__startswith=UNLINKED)
        )
        .select_related("history_user__person__user")
        .order_by("-history_date")
    )
