"""Create a referral code for a partner organisation's team and print it once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehaven.accounts.models import Team, TeamKind
from safehaven.intake.referral_codes.actions import ReferralCodeRefused, do_create_referral_code


class Command(BaseCommand):
    help = (
        "Create a referral code for a partner team (by team id). The code is printed once; "
        "only its HMAC is stored, so write it down and hand it to the partner."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("team_id", type=int, help="id of the partner organisation's team")
        parser.add_argument("--label", default="", help="a note for staff (never a person)")

    def handle(self, *args: Any, **options: Any) -> None:
        team = Team.objects.filter(pk=options["team_id"], kind=TeamKind.PARTNER).first()
        if team is None:
            raise CommandError("No partner team has this id.")
        try:
            code = do_create_referral_code(team, actor=None, label=options["label"][:100])
        except ReferralCodeRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(f"Referral code for {team}: {code}")
