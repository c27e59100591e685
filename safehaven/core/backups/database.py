"""Taking a consistent snapshot of the running database, and putting one into an empty database.

SQLite: the online backup API copies every page under one read transaction, so the copy is the
database at one instant even while the app writes (WAL mode lets writers go on meanwhile).
PostgreSQL: ``pg_dump --format=custom`` (never ``--jobs``) reads every table in one
repeatable-read transaction, so in one snapshot, whatever commits meanwhile; ``pg_restore``
fills an empty database in one transaction. ``pg_tools`` finds the programs. The connection
settings, the password among them (``PGPASSWORD``), go to the child in libpq's environment
variables, never on a command line, where ``ps`` shows them to every local user (the one
argument is the name of the database a restore fills).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connections

from safehaven.core.backups.pg_tools import ProgramMissing, program_path
from safehaven.env import BadSetting

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
SNAPSHOT_NAMES = {SQLITE: "database.sqlite3", POSTGRESQL: "database.pgdump"}

# Connection settings of a PostgreSQL URL (safehaven/env.py) as libpq environment variables.
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
}


class DatabaseStepFailed(Exception):
    """A snapshot or a restore step failed; the message says which and why."""


def vendor_of(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in SNAPSHOT_NAMES:
        raise DatabaseStepFailed(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def snapshot(alias: str, directory: Path) -> Path:
    """Write a consistent snapshot of database ``alias`` into ``directory``; return its path."""
    vendor = vendor_of(alias)
    target = directory / SNAPSHOT_NAMES[vendor]
    settings_dict = connections[alias].settings_dict
    if vendor == SQLITE:
        _snapshot_sqlite(str(settings_dict["NAME"]), target)
    else:
        # The database comes from PGDATABASE (libpq_environment), like every other setting.
        _run(
            [_program("pg_dump"), "--format=custom", "--no-password", f"--file={target}"],
            settings_dict,
            "pg_dump",
        )
    return target


def _snapshot_sqlite(name: str, target: Path) -> None:
    if not Path(name).is_file():
        raise DatabaseStepFailed(f"There is no SQLite database at {name}.")
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    source = sqlite3.connect(f"file:{name}?mode=ro", uri=True, timeout=30)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            # A snapshot in WAL mode would need its -wal file: make it one self-contained file.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    except sqlite3.Error as error:
        raise DatabaseStepFailed(f"The SQLite snapshot failed: {error}.") from None
    finally:
        source.close()


def check_snapshot(vendor: str, path: Path) -> None:
    """Refuse a snapshot that is not a sound database of its kind (before touching the target)."""
    if vendor == SQLITE:
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as database:
                result = database.execute("PRAGMA integrity_check").fetchone()
        except sqlite3.Error as error:
            raise DatabaseStepFailed(f"The backup's database does not open: {error}.") from None
        if not result or result[0] != "ok":
            raise DatabaseStepFailed("The backup's database fails SQLite's integrity check.")
    else:
        # pg_restore --list reads the whole table of contents without connecting anywhere.
        _run([_program("pg_restore"), "--list", str(path)], None, "pg_restore --list", quiet=True)


def table_names(alias: str) -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return list(connection.introspection.table_names(cursor))


def put_back(alias: str, vendor: str, snapshot_path: Path) -> str:
    """Fill the empty database ``alias`` from a snapshot; return where it went."""
    connection = connections[alias]
    settings_dict = connection.settings_dict
    connection.close()
    if vendor == SQLITE:
        name = str(settings_dict["NAME"])
        if not Path(name).exists():
            os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            source = sqlite3.connect(f"file:{snapshot_path}?mode=ro", uri=True)
            try:
                target = sqlite3.connect(name, timeout=30)
                try:
                    source.backup(target)
                    target.execute("PRAGMA journal_mode=WAL")
                finally:
                    target.close()
            finally:
                source.close()
        except sqlite3.Error as error:
            raise DatabaseStepFailed(f"Writing the SQLite database failed: {error}.") from None
        return name
    _run(
        [
            _program("pg_restore"),
            "--no-password",
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            # pg_restore writes SQL to stdout unless it is given a database; given as a
            # connection string, a name holding "=" cannot pass for connection settings.
            f"--dbname=dbname={conninfo_quote(str(settings_dict['NAME']))}",
            str(snapshot_path),
        ],
        settings_dict,
        "pg_restore",
    )
    return f"PostgreSQL database {settings_dict['NAME']}"


def conninfo_quote(value: str) -> str:
    """``value`` as one quoted value of a libpq connection string."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _program(name: str) -> str:
    try:
        return str(program_path(name))
    except (ProgramMissing, BadSetting) as error:
        raise DatabaseStepFailed(str(error)) from None


def libpq_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The child's environment: this one, plus the connection settings as libpq variables."""
    environment = dict(os.environ)
    for key in ("PGPASSWORD", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGSERVICE"):
        environment.pop(key, None)
    values = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
    }
    for option, variable in _LIBPQ_OPTIONS.items():
        values[variable] = (settings_dict.get("OPTIONS") or {}).get(option)
    environment.update({key: str(value) for key, value in values.items() if value})
    return environment


def _run(
    command: list[str], settings_dict: dict[str, Any] | None, what: str, *, quiet: bool = False
) -> None:
    environment = libpq_environment(settings_dict) if settings_dict is not None else None
    try:
        completed = subprocess.run(  # noqa: S603 (a fixed program, arguments we built)
            command,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL if quiet else None,
            stderr=subprocess.PIPE,
            check=False,
        )
    except OSError as error:
        raise DatabaseStepFailed(f"{command[0]} cannot run: {error.strerror}.") from None
    if completed.returncode != 0:
        # libpq's messages name hosts, databases and roles, never the password.
        detail = completed.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise DatabaseStepFailed(
            f"{what} failed (exit {completed.returncode}): {detail} (`manage.py doctor` "
            "checks that pg_dump and pg_restore match the server's major version)"
        )
