"""Shared by the escrow commands: unlock an administrator's private key at the terminal."""

from __future__ import annotations

import getpass

from django.core.management.base import CommandError

from safehaven.accounts.models import Organisation, User
from safehaven.core.crypto import SealError, unprotect_with_password
from safehaven.keys.models import UserKeyPair


def unlock_admin_key(email: str) -> bytes:
    """Ask for ``email``'s password (never echoed, never an argument) and unwrap their key."""
    user = User.objects.filter(email__iexact=email).first()
    pair = UserKeyPair.objects.filter(user=user).first() if user is not None else None
    password = getpass.getpass(f"Password of {email}: ")
    if pair is None:
        raise CommandError(f"{email} has no key pair.")
    try:
        return unprotect_with_password(bytes(pair.protected_private_key), password)
    except SealError:
        raise CommandError(f"Wrong password for {email}.") from None


def organisation_named(name: str | None) -> Organisation | None:
    if not name:
        return None
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        raise CommandError(f"There is no organisation named {name!r}.")
    return organisation
