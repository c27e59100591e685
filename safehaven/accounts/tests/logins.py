"""Logging staff in for real in tests: password, then TOTP, so their private key is unlocked
(``force_login`` unlocks nothing, and a page without a key hides what it would show)."""

from __future__ import annotations

import time

from django.test import Client

from safehaven.accounts.seed import current_totp

LOGIN_URL = "/en/accounts/login/"
SECOND_FACTOR_URL = "/en/accounts/2fa/authenticate/"


def log_in(email: str, password: str, totp_secret: str, *, client: Client | None = None) -> Client:
    """A browser that typed ``password`` and then a current TOTP code."""
    client = client or Client()
    response = client.post(LOGIN_URL, {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == SECOND_FACTOR_URL, response["Location"]
    for _attempt in range(2):
        # A code made just before the 30-second period turns is stale when it arrives.
        response = client.post(SECOND_FACTOR_URL, {"code": current_totp(totp_secret)})
        if response.status_code == 302:
            return client
        time.sleep(1)
    raise AssertionError(response.content.decode()[:2000])
