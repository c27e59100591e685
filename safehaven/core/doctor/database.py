"""Database mode: SQLite's durability and erasure pragmas and private files; PostgreSQL's
durability settings (its files and WAL are the server's to protect)."""

from __future__ import annotations

import stat
from pathlib import Path

from django.db import connection

from safehaven.core.doctor.registry import Options, Result, fail, ok, register, warn

SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")
# PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. NORMAL in WAL mode can lose the last
# commits on power loss: a codename already shown to a person would open nothing.
SYNCHRONOUS_FULL = 2


@register(
    "database",
    order=30,
    explanation="SQLite: journal_mode=WAL, synchronous=FULL, secure_delete=ON, and the "
    "database file, its WAL and shared-memory files readable by their owner only. "
    "PostgreSQL: fsync, synchronous_commit and full_page_writes on (file modes, WAL "
    "archives and VACUUM after erasures are the server's side: README, Production checklist)",
)
def check_database(options: Options) -> list[Result]:
    if connection.vendor == "sqlite":
        # Files first: opening a connection makes them private (core/sqlite_files.py).
        files = sqlite_file_modes(str(connection.settings_dict["NAME"]))
        return [*files, *sqlite_pragmas()]
    if connection.vendor == "postgresql":
        return postgresql_settings()
    return [warn(f"{connection.vendor} is not a supported database: use SQLite or PostgreSQL")]


def sqlite_file_modes(name: str) -> list[Result]:
    if name == ":memory:" or name.startswith("file:"):
        return [ok("in-memory SQLite database: no files")]
    problems = []
    for suffix in SQLITE_COMPANIONS:
        path = Path(f"{name}{suffix}")
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            continue
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            problems.append(fail(f"{path} is open to its group or other users: chmod 600 {path}"))
    directory = Path(name).parent
    try:
        if directory.stat().st_mode & stat.S_IWOTH:
            problems.append(fail(f"{directory} is writable by other users: chmod o-w {directory}"))
    except FileNotFoundError:
        problems.append(fail(f"the database directory {directory} does not exist"))
    return problems or [ok("SQLite files are readable by their owner only")]


def sqlite_pragmas() -> list[Result]:
    with connection.cursor() as cursor:
        journal_mode = str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        synchronous = int(cursor.execute("PRAGMA synchronous").fetchone()[0])
        secure_delete = int(cursor.execute("PRAGMA secure_delete").fetchone()[0])
    results = []
    if journal_mode == "wal":
        results.append(ok("SQLite journal_mode is WAL"))
    else:
        results.append(
            fail(f"SQLite journal_mode is {journal_mode}, not WAL: use the database URL's defaults")
        )
    if synchronous >= SYNCHRONOUS_FULL:
        results.append(ok("SQLite synchronous is FULL"))
    else:
        results.append(
            fail(f"SQLite synchronous is {synchronous}, not FULL (2): a crash can lose receipts")
        )
    if secure_delete:
        results.append(ok("SQLite secure_delete is ON"))
    else:
        results.append(fail("SQLite secure_delete is OFF: erased keys would stay in free pages"))
    return results


POSTGRESQL_ON = ("fsync", "synchronous_commit", "full_page_writes")


def postgresql_settings() -> list[Result]:
    results = []
    with connection.cursor() as cursor:
        for name in POSTGRESQL_ON:
            cursor.execute(f"SHOW {name}")  # a name from the constant above, never input
            value = str(cursor.fetchone()[0]).lower()
            if value == "on" or (
                name == "synchronous_commit" and value in {"remote_apply", "remote_write"}
            ):
                results.append(ok(f"PostgreSQL {name} is {value}"))
            else:
                results.append(fail(f"PostgreSQL {name} is {value}: set it on in postgresql.conf"))
    results.append(
        ok(
            "PostgreSQL: WAL, secure_delete and file modes are the server's; run the nightly "
            "VACUUM (FULL) after erasures (README, Production checklist 10)"
        )
    )
    return results
