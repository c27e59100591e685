"""Authentication backend: allauth's, plus unlocking the private key and duress passwords.

On every password check both hashes are verified, the real one and the duress one (or a
dummy of the same cost), and a successful login also pays one Argon2id key derivation: so a
duress login and a real one cost the same, and an unknown address costs the same as a known
one with a wrong password.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import os
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import check_password
from django.http import HttpRequest

from safehaven.accounts.models import User
from safehaven.core.crypto import (
    KEY_SIZE,
    SealError,
    public_key_from_private,
    unprotect_with_password,
)
from safehaven.keys.actions.duress import do_suspend_keys_for_duress
from safehaven.keys.actions.login_check import (
    BLOB_DOES_NOT_OPEN,
    KEY_DOES_NOT_MATCH,
    do_suspend_keys_failing_login_check,
)
from safehaven.keys.duress import dummy_password_hash, matches_duress_password
from safehaven.keys.login_key import DURESS_ATTRIBUTE, DURESS_SESSION_KEY, stash_unlocked_key
from safehaven.keys.models import UserKeyPair

logger = logging.getLogger(__name__)


class KeyUnlockingBackend(AuthenticationBackend):
    """Use in AUTHENTICATION_BACKENDS instead of allauth's backend (after axes')."""

    def authenticate(
        self, request: HttpRequest | None, **credentials: Any
    ) -> AbstractBaseUser | None:
        self._duress_user: AbstractBaseUser | None = None
        password = credentials.get("password") or ""
        user = super().authenticate(request, **credentials)
        if not isinstance(user, User):
            return user
        if self._duress_user is not None and self._duress_user.pk == user.pk:
            self._pay_unwrap_cost(user, password)
            self._enter_duress(request, user)
            return user
        self._unlock(request, user, password)
        return user

    def _check_password(
        self, user: AbstractBaseUser | None, password: str
    ) -> AbstractBaseUser | None:
        result = super()._check_password(user, password)
        if user is None:
            return result
        duress = matches_duress_password(user, password)
        if result is None and duress:
            if not self.user_can_authenticate(user):
                # As allauth does for a right password: the "account inactive" page, not an error.
                self._stash_user(user)
                return None
            self._duress_user = user
            return user
        return result

    def _mitigate_timing_attack(self, password: str) -> None:
        super()._mitigate_timing_attack(password)
        check_password(password, dummy_password_hash())

    def _unlock(self, request: HttpRequest | None, user: User, password: str) -> None:
        pair = UserKeyPair.objects.filter(user=user).first()
        if pair is None:
            return
        try:
            private_key = unprotect_with_password(bytes(pair.protected_private_key), password)
        except SealError:
            # The password passed its hash check but does not open the key blob: a key pair
            # row put back from before a password change (whose password someone else may
            # know), or a password set outside the key actions. Either way nothing more may
            # be wrapped to this public key. The login still works; cases will not open until
            # the keys are reset.
            logger.warning("The private key of user #%s did not open at login.", user.pk)
            self._suspend_keys(user, reason=BLOB_DOES_NOT_OPEN)
            return
        if not self._belongs_to(private_key, pair):
            self._suspend_keys(user, reason=KEY_DOES_NOT_MATCH)
            return
        if pair.suspended_at is None:
            stash_unlocked_key(request, user, private_key)

    @staticmethod
    def _belongs_to(private_key: bytes, pair: UserKeyPair) -> bool:
        try:
            derived = public_key_from_private(private_key)
        except (ValueError, TypeError):
            return False
        return hmac.compare_digest(derived, bytes(pair.public_key))

    @staticmethod
    def _suspend_keys(user: User, *, reason: str) -> None:
        try:
            do_suspend_keys_failing_login_check(user, reason=reason)
        except Exception:
            # The alarm's log line is written first; a failure here must not end the login.
            logger.exception("Suspending the keys of user #%s failed.", user.pk)

    def _pay_unwrap_cost(self, user: User, password: str) -> None:
        pair = UserKeyPair.objects.filter(user=user).first()
        if pair is None:
            return
        with contextlib.suppress(SealError):
            unprotect_with_password(bytes(pair.protected_private_key), password)

    def _enter_duress(self, request: HttpRequest | None, user: User) -> None:
        session = getattr(request, "session", None)
        if request is not None:
            setattr(request, DURESS_ATTRIBUTE, True)
            # A random decoy gets the same cookie and session blob as a real key, so the
            # browser of a duress login looks like any other; the flag keeps it from use.
            stash_unlocked_key(request, user, os.urandom(KEY_SIZE))
        if session is not None:
            session[DURESS_SESSION_KEY] = True
        try:
            do_suspend_keys_for_duress(
                user,
                actor=user,
                keep_session_key=session.session_key if session is not None else None,
            )
        except Exception:
            # The person at the keyboard may be coerced: an error page would give them away.
            # The session is already flagged, so it shows nothing and opens no key.
            logger.exception("Handling a duress login failed.")
