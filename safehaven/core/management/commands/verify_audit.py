"""Check the audit chain row by row and against the anchors kept outside the database."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehaven.core.audit import describe, verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit hash chain and its anchors. Run it nightly, after every restore, "
        "and with --anchors <off-host copy> to check against the anchors shipped off the "
        "host. Changes nothing. Exits with status 1 and names the first bad row if any row "
        "was edited, deleted, reordered, the tail was cut after an anchor or an anchor line "
        "is forged; exits 0 with the counts of rows and anchors checked otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchors",
            type=Path,
            default=None,
            help="Anchor file to check against (default: the AUDIT_ANCHOR_PATH setting).",
        )
        parser.add_argument(
            "--without-anchors",
            action="store_true",
            help="Check the rows alone; a cut tail or a rewritten chain then goes unnoticed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchor_path: Path | None = None
        if not options["without_anchors"]:
            anchor_path = options["anchors"] or Path(settings.AUDIT_ANCHOR_PATH)
            # A missing file would silently turn off the tail check: deny unless asked.
            if not anchor_path.is_file():
                raise CommandError(
                    f"No anchor file at {anchor_path}: run anchor_audit first, or pass "
                    "--without-anchors to check the rows alone."
                )
        result = verify_chain(anchor_path, settings.AUDIT_ANCHOR_KEY)
        if not result.ok:
            raise CommandError(describe(result))
        self.stdout.write(describe(result))
