"""Audit events for what allauth, axes and Django report about logins and second factors; no
address or browser kept for a staff session."""

from typing import Any

from allauth.mfa.signals import authenticator_added, authenticator_removed
from allauth.usersessions.models import UserSession
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver

from safehaven.accounts.models import User
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType


def _user_or_none(user: Any) -> User | None:
    return user if isinstance(user, User) else None


@receiver(user_logged_in, dispatch_uid="safehaven-audit-login")
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        record_event(EventType.LOGIN_SUCCEEDED, actor=_user_or_none(user), target=user)


@receiver(user_logged_out, dispatch_uid="safehaven-audit-logout")
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    with transaction.atomic():
        record_event(EventType.LOGOUT, actor=_user_or_none(user), target=user)


@receiver(user_login_failed, dispatch_uid="safehaven-audit-login-failed")
def audit_login_failed(sender: Any, credentials: Any, request: Any = None, **kwargs: Any) -> None:
    # The typed username is not recorded: it may be a mistyped password.
    with transaction.atomic():
        record_event(EventType.LOGIN_FAILED)


@receiver(user_locked_out, dispatch_uid="safehaven-audit-lockout")
def audit_lockout(sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any) -> None:
    user = User.objects.filter(email__iexact=username or "").first()
    with transaction.atomic():
        record_event(
            EventType.LOCKOUT,
            target=user,
            target_type="" if user else "user",
            detail="5 failures; locked for 30 minutes",
        )


@receiver(authenticator_added, dispatch_uid="safehaven-audit-mfa-added")
def audit_authenticator_added(
    sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any
) -> None:
    with transaction.atomic():
        record_event(
            EventType.MFA_ENABLED, actor=_user_or_none(user), target=user, detail=authenticator.type
        )


@receiver(authenticator_removed, dispatch_uid="safehaven-audit-mfa-removed")
def audit_authenticator_removed(
    sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any
) -> None:
    with transaction.atomic():
        record_event(
            EventType.MFA_REMOVED, actor=_user_or_none(user), target=user, detail=authenticator.type
        )


# What a staff session's row says about where it came from: nothing.
NO_ADDRESS = "::"


@receiver(pre_save, sender=UserSession, dispatch_uid="safehaven-usersession-no-address")
def keep_no_address_for_a_session(
    sender: type[UserSession], instance: UserSession, **kwargs: Any
) -> None:
    """allauth keeps each staff session's address and browser, for a sessions page this site
    does not offer (it uses the rows only to end all of a user's sessions). Kept for as long as
    the row, they would tell whoever gets the database where partner staff log in from."""
    instance.ip = NO_ADDRESS
    instance.user_agent = ""
