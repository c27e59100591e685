"""Create the escrow key (split between the administrators) and every missing team key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehaven.accounts.models import Team
from safehaven.keys.actions.escrow import do_create_escrow, relocating_organisation
from safehaven.keys.actions.teams import do_create_team_key
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.management.commands._unlock import organisation_named
from safehaven.keys.models import TeamKey
from safehaven.keys.records import current_escrow


class Command(BaseCommand):
    help = (
        "Create the organisation's escrow key, split so that two administrators together can "
        "use it, and a key for every team that has none. Run it once the first two "
        "administrators exist; until then the help form stores nothing. Safe to run again. "
        "Exits with status 1 when it cannot (e.g. fewer than two administrators with keys)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="the relocating organisation's name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if current_escrow() is None:
                organisation = organisation_named(options["organisation"])
                escrow = do_create_escrow(organisation or relocating_organisation(), actor=None)
                holders = escrow.shares.count()
                self.stdout.write(
                    f"Escrow key created ({holders} administrator pairs hold it). Print the "
                    "recovery sheet now: manage.py print_recovery_sheet"
                )
            else:
                self.stdout.write("The escrow key already exists.")
            created = 0
            for team in Team.objects.exclude(pk__in=TeamKey.objects.values("team")):
                do_create_team_key(team, actor=None)
                created += 1
        except KeyActionRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Team keys created: {created}.")
