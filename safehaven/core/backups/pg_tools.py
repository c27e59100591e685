"""Finding PostgreSQL's client programs (``pg_dump``, ``pg_restore``) and their major version.

``SAFEHAVEN_PG_BIN_DIR`` names the directory that holds them (Debian:
``/usr/lib/postgresql/<major>/bin``), read strictly: an absolute path to a directory holding
both programs, or the backup stops with a message. Unset, they are looked up on ``PATH``.
The client must be of the server's major version: an older ``pg_dump`` refuses to dump a newer
server, and a newer one writes dumps that may not restore into this server (``doctor`` checks).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

from safehaven.env import BadSetting, Env

ENV_NAME = "SAFEHAVEN_PG_BIN_DIR"
PROGRAMS = ("pg_dump", "pg_restore")
VERSION_TIMEOUT_SECONDS = 10
_VERSION = re.compile(r"\(PostgreSQL\) (\d+)")


class ProgramMissing(Exception):
    """A client program cannot be found or run; the message says what to install or set."""


def configured_bin_dir(env: Env | None = None) -> Path | None:
    """The directory ``SAFEHAVEN_PG_BIN_DIR`` (or a ``PG_BIN_DIR`` setting) names, checked;
    None when unset (then ``PATH`` is searched)."""
    configured = getattr(settings, "PG_BIN_DIR", None)
    raw = str(configured) if configured else (env or Env()).str(ENV_NAME, default="")
    if not raw:
        return None
    path = Path(raw)
    if not path.is_absolute():
        raise BadSetting(f"{ENV_NAME} must be an absolute path, not {raw!r}.")
    if not path.is_dir():
        raise BadSetting(
            f"{ENV_NAME} names {raw}, which is not a directory: set it to the bin directory of "
            "the PostgreSQL client of the server's major version (e.g. /usr/lib/postgresql/15/bin)."
        )
    return path


def program_path(name: str, env: Env | None = None) -> Path:
    """Where ``name`` (one of ``PROGRAMS``) is, or ProgramMissing / BadSetting saying why not."""
    if name not in PROGRAMS:
        raise ValueError(f"not a PostgreSQL client program: {name}")
    directory = configured_bin_dir(env)
    if directory is not None:
        path = directory / name
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise BadSetting(
                f"{ENV_NAME} names {directory}, which holds no executable {name}: set it to the "
                "bin directory of the PostgreSQL client of the server's major version."
            )
        return path
    found = shutil.which(name)
    if found is None:
        raise ProgramMissing(
            f"{name} is not on PATH: install the PostgreSQL client of the server's major version "
            "(Debian: apt install postgresql-client-<major>) or set "
            f"{ENV_NAME} to its bin directory (e.g. /usr/lib/postgresql/15/bin)."
        )
    return Path(found)


def major_version(path: Path) -> int:
    """The major version ``path --version`` reports (``pg_dump (PostgreSQL) 15.18 ...``)."""
    try:
        completed = subprocess.run(  # noqa: S603 (a program we located, a fixed argument)
            [str(path), "--version"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=VERSION_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ProgramMissing(f"{path} --version cannot run: {error}.") from None
    output = completed.stdout.decode("utf-8", "replace")
    match = _VERSION.search(output)
    if completed.returncode != 0 or match is None:
        shown = (output or completed.stderr.decode("utf-8", "replace")).strip()[:200]
        raise ProgramMissing(f"{path} --version does not name a PostgreSQL version: {shown!r}.")
    return int(match.group(1))
