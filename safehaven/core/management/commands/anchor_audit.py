"""Anchor the audit chain outside the database: run it periodically (e.g. every 5 minutes).

The anchor is not itself an audit event: an event written after the anchor would make the
anchor stale the moment it was taken.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehaven.core.audit import AnchorRefused, write_anchor


class Command(BaseCommand):
    help = (
        "Append a keyed hash of the audit chain head to the anchor file and print it. Run it "
        "from a timer every 5 minutes and ship each line off the host. Exits with status 1 "
        "and anchors nothing if the rows since the last anchor do not verify; 0 otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchors",
            type=Path,
            default=None,
            help="Anchor file to append to (default: the AUDIT_ANCHOR_PATH setting).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchor_path = options["anchors"] or Path(settings.AUDIT_ANCHOR_PATH)
        try:
            line = write_anchor(anchor_path, settings.AUDIT_ANCHOR_KEY)
        except AnchorRefused as refusal:
            raise CommandError(f"Not anchored: {refusal}") from refusal
        self.stdout.write(line)
