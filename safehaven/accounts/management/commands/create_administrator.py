"""Create an administrator of the relocating organisation from the server's terminal.

This is how a new installation gets its first two administrators (escrow needs two; then run
`init_keys`). The password is asked for, never taken as an argument; the key pair is made from
it; the person must add a second factor at their first login.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from safehaven.accounts.actions import (
    ActionRefused,
    do_add_membership,
    do_create_organisation,
)
from safehaven.accounts.forms import username_validator
from safehaven.accounts.models import Organisation, OrganisationKind, Role, Scope, User
from safehaven.keys.actions.users import do_create_user_keys


class Command(BaseCommand):
    help = "Create an administrator (and the relocating organisation if there is none yet)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument(
            "--organisation",
            help="name of the relocating organisation (created when none exists yet)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username, email = options["username"].strip().lower(), options["email"].strip().lower()
        try:
            username_validator(username)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"The username {username!r} is taken.")
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"Someone with the e-mail {email} already has an account.")
        password = getpass.getpass(f"Password for {username} (at least 12 characters): ")
        if password != getpass.getpass("Password again: "):
            raise CommandError("The two passwords differ.")
        user = User(username=username, email=email)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with transaction.atomic():
            organisation = self.relocating_organisation(options["organisation"])
            user.set_password(password)
            user.save()
            do_create_user_keys(user, password, actor=None)
            try:
                do_add_membership(
                    user=user,
                    organisation=organisation,
                    role=Role.ADMIN,
                    scope=Scope.ORGANISATION,
                    actor=None,
                )
            except ActionRefused as refusal:
                raise CommandError(str(refusal)) from None
        self.stdout.write(
            f"{username} is an administrator of {organisation.name}. At the first login they "
            "must add a second factor. With two administrators, run `manage.py init_keys`."
        )

    def relocating_organisation(self, name: str | None) -> Organisation:
        existing = Organisation.objects.filter(kind=OrganisationKind.RELOCATING).first()
        if existing is not None:
            if name and existing.name != name:
                raise CommandError(f"The relocating organisation is {existing.name!r}.")
            return existing
        if not name:
            raise CommandError("There is no organisation yet: give --organisation NAME.")
        return do_create_organisation(name=name, kind=OrganisationKind.RELOCATING, actor=None)
