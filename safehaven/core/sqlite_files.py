"""SQLite database files readable by their owner only (SECURITY.md, T1).

SQLite creates its file with the process umask (usually 0644: world-readable), and its WAL and
shared-memory files with the database file's mode. So each new connection makes the database
file, and any WAL or SHM file already there, 0600; the files SQLite creates later follow.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

OWNER_ONLY = 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def database_files(name: str) -> list[Path]:
    return [Path(f"{name}{suffix}") for suffix in SQLITE_COMPANIONS]


def restrict_sqlite_files(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: make a file database's files 0600."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():  # type: ignore[attr-defined]
        return
    for path in database_files(str(connection.settings_dict["NAME"])):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mode & 0o777 != OWNER_ONLY:
                os.chmod(path, OWNER_ONLY)
