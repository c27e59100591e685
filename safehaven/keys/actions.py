"""Every change to key material. Each runs in one transaction and writes one audit event.

User keys and duress are here; team keys in :mod:`.actions_teams`, records in
:mod:`.actions_records`, escrow in :mod:`.actions_escrow`. All are importable from here.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safehaven.accounts.models import User
from safehaven.core.audit import record_event
from safehaven.core.crypto import (
    SealError,
    new_key_pair,
    protect_with_password,
    public_key_from_private,
    unprotect_with_password,
)
from safehaven.core.event_types import EventType
from safehaven.keys.actions_escrow import (
    do_add_escrow_holder,
    do_create_escrow,
    do_print_recovery_sheet,
    do_restore_escrow,
    escrow_holder_count_without,
    release_escrow_holder,
)
from safehaven.keys.actions_records import (
    do_grant_record,
    do_reapply_shred,
    do_revoke_record,
    do_shred_record,
    open_with_escrow,
)
from safehaven.keys.actions_teams import (
    do_add_team_member_key,
    do_create_team_key,
    do_rewrap_team_records,
    do_rotate_team_key,
)
from safehaven.keys.duress import matches_duress_password
from safehaven.keys.escrow import is_admin
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.models import (
    DuressPassword,
    EscrowShare,
    RecordKeyWrap,
    TeamKeyWrap,
    UserKeyPair,
)
from safehaven.keys.tasks import send_duress_alert

__all__ = [
    "do_add_escrow_holder",
    "do_add_team_member_key",
    "do_create_escrow",
    "do_create_team_key",
    "do_create_user_keys",
    "do_grant_record",
    "do_print_recovery_sheet",
    "do_reapply_shred",
    "do_replace_user_keys",
    "do_restore_after_duress",
    "do_restore_escrow",
    "do_revoke_record",
    "do_rewrap_team_records",
    "do_rewrap_user_key",
    "do_rotate_team_key",
    "do_set_duress_password",
    "do_shred_record",
    "do_suspend_keys_for_duress",
    "open_with_escrow",
    "release_escrow_holder",
]


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
    with transaction.atomic():
        key_pair.protected_private_key = _protect(private_key, new_password)
        key_pair.save(update_fields=["protected_private_key", "updated_at"])
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
    if matches_duress_password(user, new_password):
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
        record_event(
            EventType.USER_KEYS_CREATED,
            actor=actor,
            target=user,
            detail="replaced after reset; access must be granted again",
        )
    return key_pair


# --- Duress --------------------------------------------------------------------------------


def do_set_duress_password(user: User, password: str, *, actor: User) -> None:
    """Set the password that, typed under coercion, opens an empty workspace (threat T4)."""
    if actor.pk != user.pk:
        raise KeyActionRefused("Only the person themselves can set their duress password.")
    if user.check_password(password):
        raise KeyActionRefused("The duress password must differ from your real password.")
    key_pair = UserKeyPair.objects.filter(user=user).first()
    if key_pair is not None:
        try:
            unprotect_with_password(bytes(key_pair.protected_private_key), password)
        except SealError:
            pass
        else:
            raise KeyActionRefused("The duress password must differ from your real password.")
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise KeyActionRefused(" ".join(error.messages)) from None
    with transaction.atomic():
        DuressPassword.objects.update_or_create(
            user=user, defaults={"password_hash": make_password(password)}
        )
        record_event(EventType.DURESS_PASSWORD_SET, actor=actor, target=user)


def _end_sessions(user: User, *, keep_session_key: str | None = None) -> int:
    from allauth.usersessions.models import UserSession

    sessions = UserSession.objects.filter(user=user)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    keys = list(sessions.values_list("session_key", flat=True))
    sessions.delete()
    deleted, _details = Session.objects.filter(session_key__in=keys).delete()
    return deleted


def do_suspend_keys_for_duress(
    user: User, *, actor: User | None, keep_session_key: str | None = None
) -> None:
    """What a duress login does, silently: suspend the user's key and every wrap to it, end
    their other sessions, and alert the administrators (in the background)."""
    with transaction.atomic():
        UserKeyPair.objects.filter(user=user).update(suspended_at=timezone.now())
        TeamKeyWrap.objects.filter(user=user).update(suspended=True)
        RecordKeyWrap.objects.filter(user=user).update(suspended=True)
        ended = _end_sessions(user, keep_session_key=keep_session_key)
        record_event(
            EventType.DURESS_LOGIN, actor=actor, target=user, detail=f"sessions ended: {ended}"
        )
        # In the transaction: with the database backend the alert is queued exactly when the
        # suspension commits, and the login response does not wait for a mail server.
        send_duress_alert.enqueue(user_id=user.pk)


def do_restore_after_duress(user: User, *, admin_a: User, admin_b: User, actor: User) -> None:
    """Two administrators (neither of them ``user``) lift a duress suspension.

    The view must have both administrators re-authenticate; every session of ``user`` ends,
    so the workspace the coercer saw is gone too.
    """
    if admin_a.pk == admin_b.pk:
        raise KeyActionRefused("Two different administrators must restore an account.")
    if user.pk in (admin_a.pk, admin_b.pk):
        raise KeyActionRefused("The person whose keys were suspended cannot restore them.")
    if actor.pk not in (admin_a.pk, admin_b.pk):
        raise KeyActionRefused("One of the two administrators must do this.")
    for admin in (admin_a, admin_b):
        if not is_admin(admin):
            raise KeyActionRefused("Both people must be active administrators.")
        if UserKeyPair.objects.filter(user=admin, suspended_at__isnull=False).exists():
            raise KeyActionRefused("Both administrators' own keys must be in use.")
    key_pair = UserKeyPair.objects.filter(user=user).first()
    if key_pair is None or key_pair.suspended_at is None:
        raise KeyActionRefused("This person's keys are not suspended.")
    with transaction.atomic():
        # Second factors added since the duress login may be the coercer's: remove them.
        Authenticator.objects.filter(user=user, created_at__gte=key_pair.suspended_at).delete()
        key_pair.suspended_at = None
        key_pair.save(update_fields=["suspended_at", "updated_at"])
        TeamKeyWrap.objects.filter(user=user).update(suspended=False)
        RecordKeyWrap.objects.filter(user=user).update(suspended=False)
        _end_sessions(user)
        record_event(
            EventType.DURESS_RESTORED,
            actor=actor,
            target=user,
            detail=f"with admins #{admin_a.pk} and #{admin_b.pk}",
        )
