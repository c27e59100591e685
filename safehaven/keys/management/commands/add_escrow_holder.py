"""Let a new administrator hold the escrow key too; two current holders type their passwords."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehaven.accounts.models import User
from safehaven.keys.actions.escrow import do_add_escrow_holder
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.management.commands._unlock import unlock_admin_key


class Command(BaseCommand):
    help = (
        "Add an administrator to the escrow holders. Two current holders type their passwords "
        "(never as arguments); the escrow key is split again between every pair of holders."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("new_admin", help="the new holder's e-mail")
        parser.add_argument("--admin-a", required=True, help="first current holder's e-mail")
        parser.add_argument("--admin-b", required=True, help="second current holder's e-mail")

    def handle(self, *args: Any, **options: Any) -> None:
        new_admin = User.objects.filter(email__iexact=options["new_admin"]).first()
        if new_admin is None:
            raise CommandError(f"There is no user with the e-mail {options['new_admin']}.")
        first = unlock_admin_key(options["admin_a"])
        second = unlock_admin_key(options["admin_b"])
        try:
            shares = do_add_escrow_holder(
                new_admin, admin_a_private=first, admin_b_private=second, actor=None
            )
        except KeyActionRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{new_admin.email} now holds escrow ({shares} pair shares written).")
