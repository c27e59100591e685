"""SQLite database files are readable by their owner only (the demo's was world-readable)."""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

from safehaven.env import parse_database_url

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def usual_umask(django_db_blocker) -> Iterator[None]:
    previous = os.umask(0o022)  # what most systems give a service: files 0644
    try:
        with django_db_blocker.unblock():  # a database of the test's own, not the test database
            yield
    finally:
        os.umask(previous)


def connect(path: Path) -> DatabaseWrapper:
    settings_dict = parse_database_url("DB", f"sqlite:///{path}", base_dir=path.parent)
    settings_dict.update({"ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "TIME_ZONE": None})
    settings_dict.setdefault("CONN_HEALTH_CHECKS", False)
    return DatabaseWrapper(settings_dict, alias="sqlite_files_test")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_it_creates_a_new_database_and_its_wal_for_the_owner_only(tmp_path: Path, usual_umask):
    path = tmp_path / "fresh.sqlite3"
    connection = connect(path)
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE secret (value TEXT)")
            cursor.execute("INSERT INTO secret VALUES ('sealed')")
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert all(file.exists() for file in files)  # WAL mode: all three are there
        for file in files:
            assert mode(file) & 0o077 == 0, f"{file.name} is {oct(mode(file))}"
    finally:
        connection.close()


def test_it_closes_an_existing_world_readable_database(tmp_path: Path, usual_umask):
    path = tmp_path / "old.sqlite3"
    path.touch(mode=0o644)
    assert mode(path) == 0o644
    connection = connect(path)
    try:
        connection.ensure_connection()
        assert mode(path) == 0o600
    finally:
        connection.close()
