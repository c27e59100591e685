"""After restoring a backup: shred again every record that was shredded since it was taken."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehaven.keys.actions.records import do_reapply_shred
from safehaven.keys.models import ShreddedRecord
from safehaven.keys.outside_files import shred_list_path
from safehaven.keys.shred import append_to_shred_list, read_shred_list


class Command(BaseCommand):
    help = (
        "Shred again every record listed as shredded: in the database, in the shred list file "
        "kept outside it, and in any --from file. Run after every restore, then verify_audit. "
        "Safe to run again. Exits with status 1 when a list cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--from", dest="extra", action="append", default=[], help="another list of ids"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        listed_path = shred_list_path()
        try:
            in_file = set(read_shred_list(listed_path))
            extra: set[uuid.UUID] = set()
            for path in options["extra"]:
                extra.update(read_shred_list(Path(path)))
        except ValueError as error:
            raise CommandError(str(error)) from None
        in_database = set(ShreddedRecord.objects.values_list("record_id", flat=True))
        # Ids only in the database (or given) join the file, so the next restore has them.
        for record_id in sorted((in_database | extra) - in_file, key=str):
            append_to_shred_list(record_id)
        reapplied = 0
        for record_id in sorted(in_database | in_file | extra, key=str):
            reapplied += do_reapply_shred(record_id, actor=None)
        self.stdout.write(
            f"Shreds re-applied: {reapplied} of {len(in_database | in_file | extra)}."
        )
