"""The benchmarks' own PostgreSQL databases: created, checked and dropped on the server, outside any transaction."""

from __future__ import annotations

import psycopg2


def on_server(server: str, sql: str, params: list | None = None) -> list[tuple]:
    """Run one statement on the server's maintenance database, outside any transaction (CREATE DATABASE needs it)."""
    raw = psycopg2.connect(f"{server.rstrip('/')}/postgres")
    raw.autocommit = True
    try:
        with raw.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        raw.close()


def recreate(server: str, name: str) -> None:
    drop(server, name)
    on_server(server, f'CREATE DATABASE "{name}"')


def drop(server: str, name: str) -> None:
    on_server(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def exists(server: str, name: str) -> bool:
    return bool(on_server(server, "SELECT 1 FROM pg_database WHERE datname = %s", [name]))
