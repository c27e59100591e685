"""Print a current TOTP code for a demo account (demo mode and demo accounts only)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehaven.accounts.demo import demo_totp_secret, is_demo_user
from safehaven.accounts.models import User
from safehaven.accounts.seed import current_totp


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.MODE != "demo":
            raise CommandError("demo_totp works only with SAFEHAVEN_MODE=demo.")
        user = User.objects.filter(username=options["username"]).first()
        if user is None or not is_demo_user(user):
            raise CommandError(
                f"{options['username']!r} is not a demo account. Try: make totp USER=triage"
            )
        self.stdout.write(current_totp(demo_totp_secret(user)))
