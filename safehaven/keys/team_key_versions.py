"""The newest version of each team's key that this app server has seen, so that a team's key
rolled back in the database is refused. Why, and what remains: SECURITY.md, "A team key
rolled back" (second review under "Outside review of the key layer").

Each process keeps, per team, the newest version it has seen (a rotation it committed, or an
active version whose tag matched when intake read the keys); every committed rotation appends
"<team id> <version>" to ``KEYS_TEAM_KEY_VERSIONS_FILE``, which every process reads (what was
added since it last looked) before it compares. Test mode keeps no file unless a test names
one: each test's database is rolled back.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from django.conf import settings
from django.db import transaction

from safehaven.keys.outside_files import shred_list_path
from safehaven.keys.public_key_tags import OLDER_VERSION_ACTIVE

logger = logging.getLogger(__name__)

ROLLED_BACK = "is older than a version this server saw: the team's key was rolled back"
FILE_NAME = "team-key-versions.txt"

_lock = threading.Lock()
_newest: dict[int, int] = {}
# How far each file was read (a path's bytes up to the last complete line).
_read_up_to: dict[Path, int] = {}


def versions_file_path() -> Path | None:
    configured = getattr(settings, "KEYS_TEAM_KEY_VERSIONS_FILE", None)
    if configured:
        return Path(configured)
    if getattr(settings, "MODE", "") == "test":
        return None
    return shred_list_path().with_name(FILE_NAME)


def newest_seen() -> dict[int, int]:
    """Per team id, the newest version this process saw or found in the file."""
    _read_new_lines()
    with _lock:
        return dict(_newest)


def newest_seen_of(team_id: int) -> int:
    """The newest version of the team's key seen, 0 when none."""
    return newest_seen().get(team_id, 0)


def why_not_current(team_id: int, version: int, newest_in_database: int) -> str | None:
    """Why the active ``version`` of a team's key may not receive anything, or None: an older
    version marked active (only a rotation activates one, and the tag cannot vouch for the
    flag), or a team whose newest version is below one this server saw (rolled back)."""
    if version < newest_in_database:
        return OLDER_VERSION_ACTIVE
    if newest_in_database < newest_seen_of(team_id):
        return ROLLED_BACK
    return None


def note_version(team_id: int, version: int) -> None:
    """Raise the team's mark to ``version`` (a version whose tag matched, or committed here)."""
    with _lock:
        if version > _newest.get(team_id, 0):
            _newest[team_id] = version


def record_version_after_commit(team_id: int, version: int) -> None:
    """Once the caller's transaction commits, raise the mark and append the version to the
    file; a rolled-back rotation leaves no mark (its version never existed)."""
    transaction.on_commit(lambda: _record(team_id, version))


def forget_team_key_versions() -> None:
    """Forget every mark and how far each file was read (tests; a restart does the same)."""
    with _lock:
        _newest.clear()
        _read_up_to.clear()


def _record(team_id: int, version: int) -> None:
    note_version(team_id, version)
    path = versions_file_path()
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, f"{team_id} {version}\n".encode("ascii"))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except OSError:
        # The rotation has committed; this process still keeps the mark in memory.
        logger.exception("team key version could not be appended to %s", path)


def _read_new_lines() -> None:
    path = versions_file_path()
    if path is None:
        return
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with _lock:
        start = _read_up_to.get(path, 0)
        if size <= start:
            return
        with path.open("rb") as file:
            file.seek(start)
            chunk = file.read(size - start)
        complete = chunk.rfind(b"\n") + 1
        _read_up_to[path] = start + complete
        for line in chunk[:complete].decode("ascii", errors="replace").splitlines():
            _note_line(line, path)


def _note_line(line: str, path: Path) -> None:
    """Called with ``_lock`` held."""
    parts = line.split()
    if not parts:
        return
    try:
        team_id, version = (int(part) for part in parts)
    except ValueError:
        logger.error("a line of %s is not '<team id> <version>': ignored", path)
        return
    if version > _newest.get(team_id, 0):
        _newest[team_id] = version
