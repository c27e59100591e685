"""User key pairs: create at invite acceptance, re-protect on a password change, replace
after a reset. Each runs in one transaction and writes one audit event."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from safehaven.accounts.models import User
from safehaven.core.audit import record_event
from safehaven.core.crypto import (
    new_key_pair,
    protect_with_password,
    public_key_from_private,
)
from safehaven.core.event_types import EventType
from safehaven.keys.actions.duress import equals_retired_duress_password, note_password_renewed
from safehaven.keys.actions.escrow import escrow_holder_count_without
from safehaven.keys.duress import matches_duress_password
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.models import (
    EscrowShare,
    RecordKeyWrap,
    TeamKeyWrap,
    UserKeyPair,
)


def _protect(private_key: bytes, password: str) -> bytes:
    return protect_with_password(private_key, password, settings.KEY_ARGON2_PARAMS)


def do_create_user_keys(user: User, password: str, *, actor: User | None) -> UserKeyPair:
    """Give ``user`` a key pair protected by their password (at invite acceptance)."""
    if UserKeyPair.objects.filter(user=user).exists():
        raise KeyActionRefused("This person already has a key pair.")
    pair = new_key_pair()
    with transaction.atomic():
        key_pair = UserKeyPair.objects.create(
            user=user,
            public_key=pair.public,
            protected_private_key=_protect(pair.private, password),
        )
        record_event(EventType.USER_KEYS_CREATED, actor=actor, target=user)
    return key_pair


def do_rewrap_user_key(
    user: User, private_key: bytes, new_password: str, *, actor: User | None
) -> None:
    """Protect the same private key with a new password (password change): access is kept."""
    key_pair = UserKeyPair.objects.filter(user=user).first()
    if key_pair is None:
        raise KeyActionRefused("This person has no key pair.")
    if public_key_from_private(private_key) != bytes(key_pair.public_key):
        raise KeyActionRefused("That private key does not belong to this person.")
    if matches_duress_password(user, new_password):
        raise KeyActionRefused("The new password must differ from your duress password.")
    if equals_retired_duress_password(user, new_password):
        raise KeyActionRefused("The new password must differ from your old duress password.")
    with transaction.atomic():
        key_pair.protected_private_key = _protect(private_key, new_password)
        key_pair.save(update_fields=["protected_private_key", "updated_at"])
        note_password_renewed(user)
        record_event(
            EventType.PASSWORD_CHANGED, actor=actor, target=user, detail="private key re-protected"
        )


def do_replace_user_keys(
    user: User, new_password: str, *, actor: User | None, escrow_recovery_planned: bool = False
) -> UserKeyPair:
    """Give ``user`` a fresh key pair (administrator reset of a forgotten password).

    Every wrap to the old key is useless and deleted: teams and records must be granted
    again. If the user holds escrow and fewer than two other holders would remain, this is
    refused unless the caller states that the recovery sheet will be used
    (``escrow_recovery_planned=True``, then ``manage.py restore_escrow``).
    """
    key_pair = UserKeyPair.objects.filter(user=user).first()
    if key_pair is None:
        raise KeyActionRefused("This person has no key pair: create one instead.")
    if matches_duress_password(user, new_password) or equals_retired_duress_password(
        user, new_password
    ):
        raise KeyActionRefused("The new password must differ from the duress password.")
    pair = new_key_pair()
    with transaction.atomic():
        holders_left = escrow_holder_count_without(user)
        if holders_left is not None and holders_left < 2 and not escrow_recovery_planned:
            raise KeyActionRefused(
                "This administrator holds part of the escrow key and fewer than two other "
                "holders would remain. Add another escrow holder first, or plan to run "
                "`manage.py restore_escrow` from the recovery sheet."
            )
        TeamKeyWrap.objects.filter(user=user).delete()
        RecordKeyWrap.objects.filter(user=user).delete()
        EscrowShare.objects.filter(admin_a=user).delete()
        EscrowShare.objects.filter(admin_b=user).delete()
        key_pair.public_key = pair.public
        key_pair.protected_private_key = _protect(pair.private, new_password)
        key_pair.save(update_fields=["public_key", "protected_private_key", "updated_at"])
        if actor is not None and actor.pk == user.pk:
            note_password_renewed(user)
        record_event(
            EventType.USER_KEYS_CREATED,
            actor=actor,
            target=user,
            detail="replaced after reset; access must be granted again",
        )
    return key_pair
