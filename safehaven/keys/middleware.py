"""Keeps the per-login key cookie and the session blob in step with the login.

Sets them when the password step has just unlocked a key, refreshes the cookie's lifetime
with the session's idle timeout, and destroys both when the login is gone (logout, idle
expiry, suspension, another user in the session). Public pages without either are untouched,
so no cookie ever appears there.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from safehaven.keys.login_key import (
    DURESS_ATTRIBUTE,
    DURESS_SESSION_KEY,
    UNLOCKED_ATTRIBUTE,
    cookie_name,
    forget_login_key,
    pending_login_seconds,
    refresh_login_cookie,
    session_state,
    store_login_key,
)


class LoginKeyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None:
            return response
        if getattr(request, DURESS_ATTRIBUTE, False):
            # Set again after the view: login() may have flushed the session it was set in.
            session[DURESS_SESSION_KEY] = True
        unlocked = getattr(request, UNLOCKED_ATTRIBUTE, None)
        if unlocked is not None:
            delattr(request, UNLOCKED_ATTRIBUTE)
            user_id, private_key = unlocked
            store_login_key(request, response, user_id, private_key)
            return response
        cookie = request.COOKIES.get(cookie_name())
        state = session_state(request)
        if cookie is None and state is None:
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if (
                state is None
                or cookie is None
                or state.get("uid") != user.pk
                or not getattr(user, "is_active", False)
            ):
                forget_login_key(request, response)
            else:
                # Same key, new max-age: the cookie lives as long as the idle session does.
                refresh_login_cookie(response, cookie)
            return response
        # Anonymous: only a login waiting for its second factor may keep its key, briefly.
        started = state.get("at") if state is not None else None
        waiting = isinstance(started, int) and time.time() - started <= pending_login_seconds()
        if not (waiting and cookie is not None):
            forget_login_key(request, response)
        return response
