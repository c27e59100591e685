"""Duress: setting the duress password, what a duress login does, and the restore.

One duress login raises one alert: later duress logins (or re-authentications) while the keys
are still suspended are audited quietly and change nothing. The restore leaves the coercer
nothing that still works: second factors added since, the recovery codes, the password and
the duress password (the last two must be renewed before the person can work again).
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safehaven.accounts.models import User
from safehaven.core.audit import record_event
from safehaven.core.crypto import SealError, unprotect_with_password
from safehaven.core.event_types import EventType
from safehaven.keys.escrow import is_admin
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.models import DuressPassword, RecordKeyWrap, TeamKeyWrap, UserKeyPair
from safehaven.keys.models_duress import DuressRenewal
from safehaven.keys.tasks import send_duress_alert


def equals_retired_duress_password(user: User, password: str) -> bool:
    """True when ``password`` is the duress password that a restore retired (the coercer
    knows it). Costs a hash check only while a renewal is pending."""
    retired = (
        DuressRenewal.objects.filter(user_id=user.pk)
        .values_list("retired_duress_hash", flat=True)
        .first()
    )
    return retired is not None and retired != "" and check_password(password, retired)


def pending_renewal(user: User) -> DuressRenewal | None:
    return DuressRenewal.objects.filter(user_id=user.pk).first()


def note_password_renewed(user: User) -> None:
    """Called inside the password change's transaction: one part of the renewal is done."""
    _mark_renewed(user, password_renewed=True)


def _mark_renewed(user: User, **done: bool) -> None:
    renewal = DuressRenewal.objects.select_for_update().filter(user_id=user.pk).first()
    if renewal is None:
        return
    for name, value in done.items():
        setattr(renewal, name, value)
    if renewal.password_renewed and renewal.duress_password_renewed:
        renewal.delete()
    else:
        renewal.save(update_fields=list(done))


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
    if equals_retired_duress_password(user, password):
        raise KeyActionRefused(
            "Choose a duress password you have not used before: the old one may be known."
        )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise KeyActionRefused(" ".join(error.messages)) from None
    with transaction.atomic():
        DuressPassword.objects.update_or_create(
            user=user, defaults={"password_hash": make_password(password)}
        )
        _mark_renewed(user, duress_password_renewed=True)
        record_event(EventType.DURESS_PASSWORD_SET, actor=actor, target=user)


def end_sessions(user: User, *, keep_session_key: str | None = None) -> int:
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
    their other sessions, and alert the administrators (in the background).

    If the keys are already suspended (a re-authentication in the duress session, or a later
    duress login before the restore), the first alert stands: nothing is suspended again and
    no second alert is queued; the event is recorded quietly. The suspension time stays that
    of the first duress login, so the restore still removes every factor added since.
    """
    with transaction.atomic():
        pair = UserKeyPair.objects.select_for_update().filter(user=user).first()
        ended = end_sessions(user, keep_session_key=keep_session_key)
        if pair is not None and pair.suspended_at is not None:
            record_event(
                EventType.DURESS_LOGIN,
                actor=actor,
                target=user,
                detail=f"again while suspended; no new alert; sessions ended: {ended}",
            )
            return
        UserKeyPair.objects.filter(user=user).update(suspended_at=timezone.now())
        TeamKeyWrap.objects.filter(user=user).update(suspended=True)
        RecordKeyWrap.objects.filter(user=user).update(suspended=True)
        record_event(
            EventType.DURESS_LOGIN, actor=actor, target=user, detail=f"sessions ended: {ended}"
        )
        # In the transaction: with the database backend the alert is queued exactly when the
        # suspension commits, and the login response does not wait for a mail server.
        send_duress_alert.enqueue(user_id=user.pk)


def do_restore_after_duress(user: User, *, admin_a: User, admin_b: User, actor: User) -> None:
    """Two administrators (neither of them ``user``) lift a duress suspension.

    The caller must have both administrators re-authenticate. Every session of ``user`` ends,
    so the workspace the coercer saw is gone too. What the coercer may have learnt or added
    stops working: second factors added since the duress login are removed, the recovery
    codes are deleted (the person generates new ones), the duress password is deleted, and
    the person must choose a new password and a new duress password before anything else
    (:class:`~safehaven.keys.models_duress.DuressRenewal`, enforced by the staff middleware).
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
    with transaction.atomic():
        key_pair = UserKeyPair.objects.select_for_update().filter(user=user).first()
        if key_pair is None or key_pair.suspended_at is None:
            raise KeyActionRefused("This person's keys are not suspended.")
        # Second factors added since the duress login may be the coercer's: remove them.
        Authenticator.objects.filter(user=user, created_at__gte=key_pair.suspended_at).delete()
        # The coercer may have been shown or given the recovery codes.
        Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).delete()
        retired = DuressPassword.objects.filter(user=user).first()
        DuressRenewal.objects.update_or_create(
            user=user,
            defaults={
                "retired_duress_hash": retired.password_hash if retired is not None else "",
                "password_renewed": False,
                "duress_password_renewed": False,
            },
        )
        DuressPassword.objects.filter(user=user).delete()
        key_pair.suspended_at = None
        key_pair.save(update_fields=["suspended_at", "updated_at"])
        TeamKeyWrap.objects.filter(user=user).update(suspended=False)
        RecordKeyWrap.objects.filter(user=user).update(suspended=False)
        end_sessions(user)
        record_event(
            EventType.DURESS_RESTORED,
            actor=actor,
            target=user,
            detail=(
                f"with admins #{admin_a.pk} and #{admin_b.pk}; recovery codes and duress "
                "password deleted; new password and duress password required"
            ),
        )
