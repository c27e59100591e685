"""``doctor``'s check of pg_dump and pg_restore: found, and of the server's major version."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from safehaven.core.backups.pg_tools import ENV_NAME as PG_BIN_DIR
from safehaven.core.doctor.backup_programs import check_backup_programs, check_program
from safehaven.core.doctor.registry import Options, Status


def fake_program(directory: Path, name: str, says: str) -> None:
    path = directory / name
    path.write_text(f"#!/bin/sh\necho '{says}'\n")
    path.chmod(0o755)


def test_it_reads_the_backup_programs_directory_strictly(tmp_path, monkeypatch):
    (tmp_path / "chatty").mkdir()
    fake_program(tmp_path / "chatty", "pg_dump", "hello")
    for value, message in (
        ("usr/lib/postgresql/15/bin", "must be an absolute path"),
        (str(tmp_path / "missing"), "which is not a directory"),
        (str(tmp_path), "holds no executable pg_dump"),
        (str(tmp_path / "chatty"), "does not name a PostgreSQL version"),
    ):
        monkeypatch.setenv(PG_BIN_DIR, value)
        result = check_program("pg_dump", 15)
        assert result.status == Status.FAIL, value
        assert message in result.message


def test_it_compares_the_backup_programs_with_the_servers_major_version(tmp_path, monkeypatch):
    fake_program(tmp_path, "pg_dump", "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)")
    monkeypatch.setenv(PG_BIN_DIR, str(tmp_path))
    assert check_program("pg_dump", 15).status == Status.OK
    older, newer = check_program("pg_dump", 16), check_program("pg_dump", 14)
    assert (older.status, newer.status) == (Status.FAIL, Status.WARN)
    assert "older than the server (16)" in older.message
    assert "postgresql-client-16" in older.message
    assert "may not restore into a PostgreSQL 14 server" in newer.message


def test_it_says_what_to_install_when_a_backup_program_is_not_on_path(tmp_path, monkeypatch):
    monkeypatch.delenv(PG_BIN_DIR, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    result = check_program("pg_restore", 15)
    assert result.status == Status.FAIL
    assert "pg_restore is not on PATH" in result.message
    assert f"apt install postgresql-client-<major>) or set {PG_BIN_DIR}" in result.message


@pytest.mark.django_db
def test_it_finds_backup_programs_of_the_servers_major_version():
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (SQLite backups run no program)")
    assert {result.status for result in check_backup_programs(Options())} == {Status.OK}
