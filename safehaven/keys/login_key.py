"""The private key of one login: in the session, encrypted under a key that only the browser
holds (an HttpOnly cookie). The session row alone, or the cookie alone, opens nothing.

Flow: the authentication backend unwraps the private key with the password and leaves it on
the request (:func:`stash_unlocked_key`); :class:`~safehaven.keys.middleware.LoginKeyMiddleware`
then picks a random per-login key, stores the encrypted private key in the session and sets
the cookie. Views call :func:`unlocked_private_key`.
"""

from __future__ import annotations

import base64
import binascii
import os
import time
from typing import Any

from allauth.account import app_settings as allauth_settings
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from safehaven.accounts.models import User
from safehaven.core.crypto import KEY_SIZE, SealError, decrypt_with_key, encrypt_with_key
from safehaven.keys.models import UserKeyPair
from safehaven.keys.wrapping import binding

SESSION_KEY = "_safehaven_login_key"
DURESS_SESSION_KEY = "workspace_empty"
UNLOCKED_ATTRIBUTE = "_safehaven_unlocked_key"
DURESS_ATTRIBUTE = "_safehaven_duress"
_FORMAT = 1


def cookie_name() -> str:
    # __Host- makes the browser refuse the cookie unless it is Secure, path=/ and host-only.
    return "__Host-sh_login_key" if settings.SESSION_COOKIE_SECURE else "sh_login_key"


def pending_login_seconds() -> int:
    """How long a key may wait in a not-yet-logged-in session (between password and MFA)."""
    return int(allauth_settings.LOGIN_TIMEOUT)


def stash_unlocked_key(request: HttpRequest | None, user: User, private_key: bytes) -> None:
    """Hand a freshly unwrapped private key to the middleware (request attribute only)."""
    if request is not None:
        setattr(request, UNLOCKED_ATTRIBUTE, (user.pk, private_key))


def _aad(user_id: int, login_id: str) -> bytes:
    return binding("login-key", user_id, login_id)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(text.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None


def set_login_cookie(response: HttpResponseBase, login_key: bytes) -> None:
    # No Max-Age or Expires: the key goes when the browser closes, like the session cookie.
    # The idle timeout is the server's (the session row's expiry, SESSION_COOKIE_AGE).
    response.set_cookie(
        cookie_name(),
        _b64(login_key),
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def refresh_login_cookie(response: HttpResponseBase, cookie_value: str) -> None:
    login_key = _unb64(cookie_value)
    if login_key is not None and len(login_key) == KEY_SIZE:
        set_login_cookie(response, login_key)


def store_login_key(
    request: HttpRequest, response: HttpResponseBase, user_id: int, private_key: bytes
) -> None:
    """Encrypt ``private_key`` under a new per-login key: blob to the session, key to a cookie."""
    login_key = os.urandom(KEY_SIZE)
    login_id = _b64(os.urandom(16))
    request.session[SESSION_KEY] = {
        "v": _FORMAT,
        "uid": user_id,
        "lid": login_id,
        "at": int(time.time()),
        "blob": _b64(encrypt_with_key(login_key, private_key, _aad(user_id, login_id))),
    }
    set_login_cookie(response, login_key)


def session_state(request: HttpRequest) -> dict[str, Any] | None:
    session = getattr(request, "session", None)
    if session is None:
        return None
    state = session.get(SESSION_KEY)
    return state if isinstance(state, dict) and state.get("v") == _FORMAT else None


def forget_login_key(request: HttpRequest, response: HttpResponseBase) -> None:
    """Destroy this login's key: the session blob and the cookie (logout calls this)."""
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session:
        del session[SESSION_KEY]
    response.delete_cookie(cookie_name(), path="/", samesite="Strict")


def is_duress_session(request: HttpRequest) -> bool:
    """True when the workspace must look empty: the session began with the duress password,
    or the user's keys are still suspended by an earlier duress login. A coercer who then
    demands the "real" password must see the same empty workspace, not cases that fail to open.
    """
    session = getattr(request, "session", None)
    if session is not None and session.get(DURESS_SESSION_KEY) is True:
        return True
    user = getattr(request, "user", None)
    return bool(
        isinstance(user, User)
        and user.is_authenticated
        and UserKeyPair.objects.filter(user=user, suspended_at__isnull=False).exists()
    )


def unlocked_private_key(request: HttpRequest) -> bytes | None:
    """The logged-in user's private key, or None.

    Needs all of: an authenticated, active user; the session blob made for that user; the
    cookie; keys not suspended; a session that is not a duress session.
    """
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return None
    if is_duress_session(request):
        return None
    state = session_state(request)
    cookie = request.COOKIES.get(cookie_name())
    if state is None or cookie is None or state.get("uid") != user.pk:
        return None
    login_key = _unb64(cookie)
    blob = _unb64(str(state.get("blob", "")))
    if login_key is None or blob is None or len(login_key) != KEY_SIZE:
        return None
    if UserKeyPair.objects.filter(user=user, suspended_at__isnull=False).exists():
        return None
    try:
        return decrypt_with_key(login_key, blob, _aad(user.pk, str(state.get("lid", ""))))
    except SealError:
        return None
