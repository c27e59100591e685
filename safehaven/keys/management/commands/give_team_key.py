"""Give a team member the team's key through escrow: a team's first holder. Two escrow holders
type their passwords."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehaven.accounts.models import Team, User
from safehaven.keys.actions.teams import do_give_team_key_from_escrow
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.management.commands._unlock import unlock_admin_key


class Command(BaseCommand):
    help = (
        "Give a member of a team every version of its key through escrow, when no teammate "
        "holds it to pass it on (a team made after init_keys). Two escrow holders type their "
        "passwords (never as arguments); later members get the key from this one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("team_id", type=int, help="the team's id")
        parser.add_argument("member", help="the member's e-mail")
        parser.add_argument("--admin-a", required=True, help="first escrow holder's e-mail")
        parser.add_argument("--admin-b", required=True, help="second escrow holder's e-mail")

    def handle(self, *args: Any, **options: Any) -> None:
        team = Team.objects.filter(pk=options["team_id"]).first()
        if team is None:
            raise CommandError(f"There is no team #{options['team_id']}.")
        member = User.objects.filter(email__iexact=options["member"]).first()
        if member is None:
            raise CommandError(f"There is no user with the e-mail {options['member']}.")
        first = unlock_admin_key(options["admin_a"])
        second = unlock_admin_key(options["admin_b"])
        try:
            versions = do_give_team_key_from_escrow(
                team, member, admin_a_private=first, admin_b_private=second, actor=None
            )
        except KeyActionRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{member.email} now holds the key of team {team.name} ({versions} versions wrapped)."
        )
