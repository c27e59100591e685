"""Print the escrow private key once, for paper in a safe; needs two administrators."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehaven.keys.actions.escrow import do_print_recovery_sheet
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.management.commands._unlock import unlock_admin_key


class Command(BaseCommand):
    help = (
        "Print the escrow recovery sheet, once, right after init_keys: keep it offline in two "
        "places. Two administrators type their passwords. Refused after the first print "
        "unless --reprint is given; every print is audited. Exits with status 1 when refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--admin-a", required=True, help="first administrator's e-mail")
        parser.add_argument("--admin-b", required=True, help="second administrator's e-mail")
        parser.add_argument("--reprint", action="store_true", help="print again (audited)")

    def handle(self, *args: Any, **options: Any) -> None:
        first = unlock_admin_key(options["admin_a"])
        second = unlock_admin_key(options["admin_b"])
        try:
            sheet = do_print_recovery_sheet(
                admin_a_private=first,
                admin_b_private=second,
                reprint=options["reprint"],
                actor=None,
            )
        except KeyActionRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(sheet)
        self.stdout.write(
            "\nWrite this down or print it on a printer that keeps no copy, then clear the "
            "terminal. Keep it offline, in two places."
        )
