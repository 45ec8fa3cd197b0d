"""The two steps every service takes before it writes a row: assign only allowed fields, then check and save.

Services call these so that a model's own rules (``clean``, constraints) are
checked the same way everywhere and every change is attributed in its history.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models

T = TypeVar("T", bound=models.Model)


def save_checked(obj: T, by: Any | None) -> T:
    """``full_clean`` then save, recording ``by`` (a Person, or None for a command) as the author of the change."""
    obj.full_clean()
    attribute(obj, by)
    obj.save()
    return obj


def attribute(obj: models.Model, by: Any | None) -> None:
    """Name the person behind the next save in the row's change history."""
    if by is not None:
        obj._history_user = by.user


#: Who a change is shown as made by when no person made it: a command (an import run on the server, the demo's
#: set-up data) saved it without anyone signed in.
NO_AUTHOR = "Automatic (system)"


def author_name(record: Any) -> str:
    """The name of the person a history record says made the change (as :func:`attribute` recorded it), for
    every page that shows history. Select ``history_user__person__user`` with the records to read it for free."""
    user = getattr(record, "history_user", None)
    if user is None:
        return NO_AUTHOR
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_full_name() or user.get_username()


def assign_fields(obj: T, fields: Mapping[str, Any], allowed: tuple[str, ...]) -> T:
    """Set the given fields; a field the caller may not set is a programming error, not a user's."""
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be set here")
        setattr(obj, name, value)
    return obj
