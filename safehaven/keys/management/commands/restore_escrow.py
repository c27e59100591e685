"""Rebuild the escrow key from the recovery sheet, split between the current administrators."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehaven.keys.actions.escrow import do_restore_escrow
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.management.commands._unlock import organisation_named


class Command(BaseCommand):
    help = (
        "Restore the escrow key from the recovery sheet (the key lines are read from standard "
        "input, or --sheet-file) and split it between every pair of current administrators. "
        "Run it when fewer than two escrow holders remain or their shares are lost. Exits "
        "with status 1 when the sheet does not match the escrow key or is malformed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sheet-file", help="a file with the sheet's key lines")
        parser.add_argument("--organisation", help="the organisation, if its escrow row is gone")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["sheet_file"]:
            text = Path(options["sheet_file"]).read_text(encoding="utf-8")
        else:
            self.stderr.write("Type or paste the key lines of the sheet, then Ctrl+D:")
            text = sys.stdin.read()
        try:
            escrow = do_restore_escrow(
                text, organisation=organisation_named(options["organisation"]), actor=None
            )
        except KeyActionRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Escrow restored: {escrow.shares.count()} administrator pairs hold it.")
