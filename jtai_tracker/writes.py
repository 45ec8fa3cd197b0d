"""The two steps every service takes before it writes a row: assign only allowed fields, then check and save.

Services call these so that a model's own rules (``clean``, constraints) are
checked the same way everywhere and every change is attributed in its history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.apps import apps
from django.db import models
from django.utils import timezone

from jtai_tracker.database import bulk_insert

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


def history_bulk_create(
    rows: Sequence[models.Model], by: Any | None, m2m: Mapping[str, Sequence[models.Model]] | None = None
) -> None:
    """One "created" history record per row written in bulk, as saving each would leave, attributed to ``by``
    (a Person, or None for a command), with the rows' many-to-many links (``m2m``: a field the model's history
    tracks -> the through rows written for these rows) recorded in the same record.

    A handful of statements whatever the number of rows. Saving a row and then setting its links would leave
    a record for each step; this leaves the one record of the finished row.
    """
    if not rows:
        return
    model = type(rows[0])
    user = by.user if by is not None else None
    history = model.history.model
    now = timezone.now()
    records = bulk_insert(
        [
            history(
                history_date=now,
                history_user=user,
                history_change_reason="",
                history_type="+",
                **{field.attname: getattr(row, field.attname) for field in history.tracked_fields},
            )
            for row in rows
        ]
    )
    by_pk = {record.id: record for record in records}
    for name, links in (m2m or {}).items():
        through = model._meta.get_field(name).remote_field.through
        link_history = apps.get_model(history._meta.app_label, f"{history.__name__}_{name}")
        source = next(
            field.attname
            for field in through._meta.fields
            if field.is_relation and field.related_model is model and field.attname != "id"
        )
        columns = [field.attname for field in through._meta.fields]
        bulk_insert(
            [
                link_history(history=by_pk[getattr(link, source)], **{c: getattr(link, c) for c in columns})
                for link in links
            ]
        )


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
