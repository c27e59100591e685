"""Rebuild a fresh database from an encrypted backup, then shred again and verify."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from safehaven.core.backups.archive import ArchiveError, decrypt_archive
from safehaven.core.backups.bundle import AUDIT_ANCHORS, SHRED_LIST, unpack
from safehaven.core.backups.database import (
    SNAPSHOT_NAMES,
    DatabaseStepFailed,
    check_snapshot,
    put_back,
    table_names,
    vendor_of,
)
from safehaven.core.backups.private_dir import private_directory, read_key_file
from safehaven.keys.management.commands.backup import outside_files


class Command(BaseCommand):
    help = (
        "Rebuild a NEW, EMPTY database (the one SAFEHAVEN_DATABASE_URL names) from a backup "
        "archive, opened with the offline private key. Refuses a database that has tables. "
        "Then puts back the audit anchor file, the shred list and the team key versions file "
        "where none exists (an existing one may be newer and is never overwritten), verifies "
        "the audit chain against the backup's anchors, shreds again every record listed as "
        "shredded (reapply_shreds) and runs verify_audit. Exits non-zero if any step fails. "
        "A wrong key, an altered or cut archive, or an unknown format is refused before "
        "anything is written. On PostgreSQL, pg_restore (from SAFEHAVEN_PG_BIN_DIR or PATH) "
        "fills the database in one transaction. Run `manage.py migrate` afterwards if this "
        "release is newer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The archive `manage.py backup` wrote.")
        parser.add_argument(
            "--private-key-file",
            type=Path,
            required=True,
            help="The backup private key written by `make_backup_key` (kept offline).",
        )
        parser.add_argument(
            "--temp-dir",
            type=Path,
            default=None,
            help="Where the private temporary directory goes (default: $TMPDIR).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            private_key = read_key_file(options["private_key_file"], "The private key file")
            target_vendor = vendor_of(DEFAULT_DB_ALIAS)
        except (ValueError, DatabaseStepFailed) as error:
            raise CommandError(str(error)) from None
        with private_directory(options["temp_dir"]) as work:
            files = self._open_archive(options["archive"], private_key, work, target_vendor)
            failures = self._restore(files, target_vendor)
        if failures:
            raise CommandError("Restore finished with failures:\n- " + "\n- ".join(failures))
        self.stdout.write("Restore complete.")

    def _open_archive(
        self, archive: Path, private_key: bytes, work: Path, target_vendor: str
    ) -> dict[str, Path]:
        """Decrypt, check and unpack everything before anything is written outside ``work``."""
        plain = work / "bundle.tar"
        try:
            with archive.open("rb") as source, plain.open("xb") as out:
                decrypt_archive(source, private_key, out)
            unpacked = work / "files"
            unpacked.mkdir(mode=0o700)
            manifest, files = unpack(plain, unpacked)
            plain.unlink()
        except OSError as error:
            raise CommandError(f"Cannot read {archive}: {error.strerror}.") from None
        except ArchiveError as error:
            raise CommandError(f"{error} Nothing was changed.") from None
        vendor = str(manifest["database"])
        if vendor != target_vendor:
            raise CommandError(
                f"The backup holds a {vendor} database but the configured database is "
                f"{target_vendor}. Nothing was changed."
            )
        try:
            check_snapshot(vendor, files[SNAPSHOT_NAMES[vendor]])
            tables = table_names(DEFAULT_DB_ALIAS)
        except DatabaseStepFailed as error:
            raise CommandError(f"{error} Nothing was changed.") from None
        if tables:
            raise CommandError(
                f"The configured database already has {len(tables)} tables: restore only into "
                "a new, empty database (point SAFEHAVEN_DATABASE_URL at a new SQLite file, or "
                "create an empty PostgreSQL database). Nothing was changed."
            )
        self.stdout.write(f"Backup opened: taken {manifest.get('created')}, {vendor}.")
        return files

    def _restore(self, files: dict[str, Path], vendor: str) -> list[str]:
        try:
            where = put_back(DEFAULT_DB_ALIAS, vendor, files[SNAPSHOT_NAMES[vendor]])
        except DatabaseStepFailed as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Database restored into {where}.")
        failures: list[str] = []
        self._put_back_outside_files(files)
        if AUDIT_ANCHORS in files:
            failures += self._run(
                "verify_audit (the backup's anchors)", "verify_audit", anchors=files[AUDIT_ANCHORS]
            )
        else:
            self.stdout.write("The backup holds no anchor file: the rows alone are checked.")
            failures += self._run("verify_audit (rows only)", "verify_audit", without_anchors=True)
        extra = [str(files[SHRED_LIST])] if SHRED_LIST in files else []
        failures += self._run("reapply_shreds", "reapply_shreds", extra=extra)
        live_anchors = Path(settings.AUDIT_ANCHOR_PATH)
        if live_anchors.is_file():
            failure = self._run("verify_audit", "verify_audit")
            if failure:
                failure.append(
                    f"The anchor file at {live_anchors} vouches for audit rows this backup does "
                    "not hold (it is newer than the backup): the events since the backup are "
                    "lost. Keep that file as evidence, move it aside, and run anchor_audit to "
                    "start a new one."
                )
            failures += failure
        return failures

    def _put_back_outside_files(self, files: dict[str, Path]) -> None:
        for name, live in outside_files().items():
            if name not in files:
                continue
            if live.exists():
                if live.read_bytes() == files[name].read_bytes():
                    self.stdout.write(f"{live} is already in place, the same as in the backup.")
                else:
                    self.stdout.write(
                        f"{live} exists and differs from the backup's copy: kept, not "
                        "overwritten (it may be newer than the backup)."
                    )
                continue
            live.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            descriptor = os.open(live, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as out, files[name].open("rb") as source:
                shutil.copyfileobj(source, out)
                out.flush()
                os.fsync(out.fileno())
            self.stdout.write(f"{live} put back from the backup.")

    def _run(self, what: str, command: str, **options: Any) -> list[str]:
        output = io.StringIO()
        try:
            call_command(command, stdout=output, **options)
        except CommandError as error:
            self.stdout.write(output.getvalue().rstrip())
            return [f"{what}: {error}"]
        self.stdout.write(f"{what}: {output.getvalue().strip()}")
        return []
