"""The two steps every service takes before it writes a row: assign only allowed fields, then check and save.

Services call these so that a model's own rules (``clean``, constraints) are
checked the same way everywhere and every change is attributed in its history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.apps import apps
from django.db import connections, models, router
from django.utils import timezone

from jtai_tracker.database import ROWS_PER_INSERT

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


def history_bulk_create(rows: Sequence[models.Model], by: Any | None, m2m: Sequence[str] = ()) -> None:
    """One "created" history record per row written in bulk, as saving each would leave, attributed to ``by``
    (a Person, or None for a command), with the rows' links of each many-to-many field named in ``m2m`` (one
    the model's history tracks) in the same record.

    The records are copied from the rows and links as the database now holds them, by the database itself
    (``INSERT ... SELECT``): building them in Python cost as much again as writing the rows. A few statements
    whatever the number of rows. Saving a row and then setting its links would leave a record for each step;
    this leaves the one record of the finished row.
    """
    if not rows:
        return
    model = type(rows[0])
    history = model.history.model
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    copied = [
        (history._meta.get_field(f.name).column, model._meta.get_field(f.name).column) for f in history.tracked_fields
    ]
    stamp = [
        history._meta.get_field(name).column
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    ]
    history_date = history._meta.get_field("history_date").get_db_prep_save(timezone.now(), connection)
    pk = model._meta.pk
    targets = ", ".join(quote(column) for column in [*(target for target, _source in copied), *stamp])
    sources = ", ".join(quote(source) for _target, source in copied)
    history_pk = quote(history._meta.pk.column)
    # Only the models' own table and column names, quoted, are written into these statements; values are parameters.
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_INSERT):
            pks = [row.pk for row in rows[start : start + ROWS_PER_INSERT]]
            sql = (
                f"INSERT INTO {quote(history._meta.db_table)} ({targets}) "  # noqa: S608
                f"SELECT {sources}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(pk.column)} IN ({', '.join(['%s'] * len(pks))}) RETURNING {history_pk}"
            )
            cursor.execute(sql, [history_date, "", "+", by.user_id if by is not None else None, *pks])
            records = [record for (record,) in cursor.fetchall()]
            for name in m2m:
                _links_history_copy(cursor, model, history, name, records)


def _links_history_copy(cursor: Any, model: type[models.Model], history: Any, name: str, records: list[int]) -> None:
    """The links of field ``name`` of the rows whose new history ``records`` these are, copied into those records."""
    quote = cursor.db.ops.quote_name
    through = model._meta.get_field(name).remote_field.through
    links = apps.get_model(history._meta.app_label, f"{history.__name__}_{name}")
    owner = next(field for field in through._meta.fields if field.is_relation and field.related_model is model)
    columns = [field.column for field in through._meta.fields]
    targets = [links._meta.get_field(field.name).column for field in through._meta.fields]
    targets.append(links._meta.get_field("history").column)
    sql = (
        f"INSERT INTO {quote(links._meta.db_table)} ({', '.join(quote(column) for column in targets)}) "  # noqa: S608
        f"SELECT {', '.join(f'link.{quote(column)}' for column in columns)}, record.{quote(history._meta.pk.column)} "
        f"FROM {quote(through._meta.db_table)} link JOIN {quote(history._meta.db_table)} record "
        f"ON record.{quote(history._meta.get_field(model._meta.pk.name).column)} = link.{quote(owner.column)} "
        f"WHERE record.{quote(history._meta.pk.column)} IN ({', '.join(['%s'] * len(records))})"
    )
    cursor.execute(sql, records)


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
