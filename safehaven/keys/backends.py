"""Authentication backend: allauth's, plus unlocking the private key and duress passwords.

On every password check both hashes are verified, the real one and the duress one (or a
dummy of the same cost), and a successful login also pays one Argon2id key derivation: so a
duress login and a real one cost the same, and an unknown address costs the same as a known
one with a wrong password.
"""

from __future__ import annotations

import contextlib
import logging
import os
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import check_password
from django.http import HttpRequest

from safehaven.accounts.models import User
from safehaven.core.crypto import KEY_SIZE, SealError, unprotect_with_password
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
            # The password hash and the key blob disagree (e.g. a password set outside the
            # key actions). The login still works; cases will not open until keys are reset.
            logger.warning("The private key of user #%s did not open at login.", user.pk)
            return
        if pair.suspended_at is None:
            stash_unlocked_key(request, user, private_key)

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
        from safehaven.keys.actions import do_suspend_keys_for_duress

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
