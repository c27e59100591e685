"""Write one encrypted backup: a consistent database snapshot and the files kept outside it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from safehaven.core.backups.archive import EncryptingWriter
from safehaven.core.backups.bundle import AUDIT_ANCHORS, SHRED_LIST, TEAM_KEY_VERSIONS, pack
from safehaven.core.backups.database import (
    SNAPSHOT_NAMES,
    DatabaseStepFailed,
    snapshot,
    vendor_of,
)
from safehaven.core.backups.private_dir import create_private_file, private_directory
from safehaven.core.backups.public_key import configured_public_key
from safehaven.core.crypto import KEY_SIZE, wrap_key
from safehaven.env import BadSetting
from safehaven.keys.outside_files import shred_list_path
from safehaven.keys.team_key_versions import versions_file_path


def outside_files() -> dict[str, Path]:
    """The files that must outlive the database, under their names in the archive."""
    files = {AUDIT_ANCHORS: Path(settings.AUDIT_ANCHOR_PATH), SHRED_LIST: shred_list_path()}
    versions = versions_file_path()
    if versions is not None:
        files[TEAM_KEY_VERSIONS] = versions
    return files


class Command(BaseCommand):
    help = (
        "Write ONE backup archive to --output: a consistent snapshot of the database taken "
        "while the app runs (SQLite's online backup, or pg_dump from SAFEHAVEN_PG_BIN_DIR or "
        "PATH, of the server's major version), the audit anchor file, the "
        "shred list and the team key versions file, encrypted to the backup public key "
        "(SAFEHAVEN_BACKUP_PUBLIC_KEY, from `make_backup_key`). The file is created 0600 and "
        "never overwrites another; plaintext only lives in a 0700 temporary directory that is "
        "overwritten and removed. Restore with `manage.py restore`."
    )
    # A backup must run even when a system check would stop another command (`doctor` reports
    # those); the checks also cost the timer a second and a half of CPU.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, required=True, help="The new archive file.")
        parser.add_argument(
            "--temp-dir",
            type=Path,
            default=None,
            help="Where the private temporary directory goes (default: $TMPDIR); put it on an "
            "encrypted disk or a tmpfs with room for one database copy.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        try:
            public_key = configured_public_key()
            vendor = vendor_of(DEFAULT_DB_ALIAS)
            # wrap_key refuses a public key that is not a usable X25519 point.
            wrap_key(public_key, bytes(KEY_SIZE), b"checking the backup public key")
        except (BadSetting, DatabaseStepFailed) as error:
            raise CommandError(str(error)) from None
        except ValueError as error:
            raise CommandError(f"The backup public key is not usable: {error}.") from None
        if output.exists():
            raise CommandError(f"{output} exists already: a backup never overwrites a file.")
        partial = output.with_name(f".{output.name}.partial-{os.getpid()}")
        try:
            descriptor = create_private_file(partial)
        except OSError as error:
            raise CommandError(f"Cannot create {partial}: {error.strerror}.") from None
        try:
            with os.fdopen(descriptor, "wb") as out, private_directory(options["temp_dir"]) as work:
                members = {name: path for name, path in outside_files().items() if path.is_file()}
                members[SNAPSHOT_NAMES[vendor]] = snapshot(DEFAULT_DB_ALIAS, work)
                writer = EncryptingWriter(out, public_key)
                pack(writer, vendor, members)
                writer.close()
                os.fsync(out.fileno())
            try:
                os.link(partial, output)  # fails rather than replace a file made meanwhile
            except FileExistsError:
                raise CommandError(f"{output} appeared meanwhile: not overwritten.") from None
        except DatabaseStepFailed as error:
            raise CommandError(str(error)) from None
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(
            f"Backup written to {output} ({output.stat().st_size} bytes, {vendor}): "
            + ", ".join(sorted(members))
        )
