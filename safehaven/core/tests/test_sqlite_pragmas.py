"""SQLite durability and erasure settings hold on every connection (STACK.md)."""

import pytest
from django.db import connection, connections

pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db(transaction=True)]


def pragma(cursor, name: str):
    cursor.execute(f"PRAGMA {name}")
    return cursor.fetchone()[0]


def test_it_runs_sqlite_in_wal_mode_with_full_sync_and_secure_delete():
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    for _attempt in range(2):
        connections.close_all()  # a brand-new connection must get the pragmas too
        with connection.cursor() as cursor:
            assert pragma(cursor, "journal_mode") == "wal"
            assert pragma(cursor, "synchronous") == 2  # FULL
            assert pragma(cursor, "secure_delete") == 1
            assert pragma(cursor, "busy_timeout") >= 5000
            assert pragma(cursor, "foreign_keys") == 1


def test_it_uses_a_file_database_and_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    assert not connection.is_in_memory_db()  # type: ignore[attr-defined]
    assert connection.transaction_mode == "IMMEDIATE"  # type: ignore[attr-defined]
