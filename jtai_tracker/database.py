"""Writing many rows at once: as few statements as the database accepts.

Django assumes SQLite takes at most 999 variables in one statement (the limit of SQLite before 3.32),
so a bulk insert of 5,000 actions of 25 columns would be 130 statements. The SQLite this app runs on
takes 32,766: :func:`use_sqlite_variable_limit` reads the real limit when a connection opens (connected in
``jtai_tracker.apps``), and :func:`bulk_insert` writes rows in batches of at most ``ROWS_PER_INSERT``, so
an import's queries stay the same from 10 actions to thousands.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections, models, router

T = TypeVar("T", bound=models.Model)

#: Rows in one INSERT at most, on any database: bounds the size of one statement (PostgreSQL has no variable limit).
ROWS_PER_INSERT = 5000


def use_sqlite_variable_limit(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created``: tell Django how many variables this SQLite accepts in one statement."""
    if connection.vendor == "sqlite":
        connection.features.max_query_params = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


def bulk_insert(rows: Sequence[T]) -> list[T]:
    """Insert new rows of one model in as few statements as the database takes, each row given its id.

    Like ``bulk_create``: no ``save()``, no signals, so no history; the caller writes it
    (``jtai_tracker.writes.history_bulk_create``). Both SQLite (3.35+) and PostgreSQL return the new ids.
    """
    if not rows:
        return []
    model = type(rows[0])
    return model._base_manager.bulk_create(rows, batch_size=ROWS_PER_INSERT)


def links_insert(model: type[models.Model], name: str, pairs: Sequence[tuple[Any, Any]]) -> None:
    """Link new rows of ``model`` by its many-to-many field ``name``: ``pairs`` of (row id, linked id).

    One ``executemany`` of plain values: a link is two ids, and building a through-model instance and Django's
    INSERT for each of 20,000 links took longer than writing them. Like ``bulk_insert``, no signals and no
    history; ``history_bulk_create`` copies the links into the rows' history records.
    """
    if not pairs:
        return
    field = model._meta.get_field(name)
    through = field.remote_field.through
    connection = connections[router.db_for_write(through)]
    quote = connection.ops.quote_name
    owner = quote(through._meta.get_field(field.m2m_field_name()).column)
    linked = quote(through._meta.get_field(field.m2m_reverse_field_name()).column)
    sql = f"INSERT INTO {quote(through._meta.db_table)} ({owner}, {linked}) VALUES (%s, %s)"  # noqa: S608 - names
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(pairs))
