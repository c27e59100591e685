"""The programs ``backup`` and ``restore`` run on PostgreSQL: found, and of the server's major
version (``core/backups/pg_tools.py``)."""

from __future__ import annotations

from django.db import connection

from safehaven.core.backups.pg_tools import (
    ENV_NAME,
    PROGRAMS,
    ProgramMissing,
    major_version,
    program_path,
)
from safehaven.core.doctor.registry import Options, Result, fail, ok, register, warn
from safehaven.env import BadSetting


@register(
    "backup programs",
    order=35,
    explanation=f"PostgreSQL: pg_dump and pg_restore are found ({ENV_NAME}, else PATH) and "
    "are of the server's major version: an older pg_dump refuses to dump the server, a newer "
    "one writes dumps that may not restore into it. SQLite needs no program",
)
def check_backup_programs(options: Options) -> list[Result]:
    if connection.vendor != "postgresql":
        return [ok(f"{connection.vendor}: backups need no external program")]
    server = server_major_version()
    return [check_program(name, server) for name in PROGRAMS]


def server_major_version() -> int:
    connection.ensure_connection()
    return int(connection.pg_version) // 10000  # type: ignore[attr-defined]


def check_program(name: str, server: int) -> Result:
    try:
        path = program_path(name)
        client = major_version(path)
    except (ProgramMissing, BadSetting) as error:
        return fail(str(error))
    fix = (
        f"install postgresql-client-{server} and set {ENV_NAME} to its bin directory "
        f"(Debian: /usr/lib/postgresql/{server}/bin)"
    )
    if client < server:
        return fail(
            f"{path} is version {client}, older than the server ({server}): pg_dump refuses to "
            f"dump a newer server. {fix}"
        )
    if client > server:
        return warn(
            f"{path} is version {client}, newer than the server ({server}): its dumps may not "
            f"restore into a PostgreSQL {server} server. {fix}"
        )
    return ok(f"{path} is version {client}, as the server")
