"""The suite runs on the database it was asked to, and SQLite is set up for real use."""

import os

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.django_db
def test_suite_runs_on_the_database_named_by_database_url():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


def test_sqlite_file_database_uses_wal_and_a_busy_timeout(tmp_path, django_db_blocker):
    import dj_database_url
    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings_dict = dj_database_url.parse(f"sqlite:///{tmp_path / 'tracker.sqlite3'}")
    settings_dict.update(
        OPTIONS=settings.SQLITE_OPTIONS,
        CONN_MAX_AGE=0,
        CONN_HEALTH_CHECKS=False,
        AUTOCOMMIT=True,
        ATOMIC_REQUESTS=False,
        TIME_ZONE=None,
    )
    wrapper = DatabaseWrapper(settings_dict, alias="wal-check")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20_000
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
    finally:
        wrapper.close()
