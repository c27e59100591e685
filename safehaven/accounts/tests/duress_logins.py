"""A staff member with a duress password, and real logins (password, TOTP, re-authentication)
with either password, for the duress tests."""

import time

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.cache import cache
from django.test import Client

from safehaven.accounts.seed import current_totp
from safehaven.keys.actions.duress import do_set_duress_password

DURESS = "my other phrase 5521 of nothing"


def log_in(world, username: str, password: str) -> Client:
    client = Client()
    user = world.users[username]
    response = client.post("/en/accounts/login/", {"login": user.email, "password": password})
    assert response["Location"] == "/en/accounts/2fa/authenticate/"
    for _attempt in range(3):
        cache.clear()  # allauth refuses a code used once already in this period
        code = current_totp(world.totp_secrets[username])
        response = client.post("/en/accounts/2fa/authenticate/", {"code": code})
        if response.status_code == 302:
            # The MFA pages ask for the password again; under duress the duress one works.
            response = client.post("/en/accounts/reauthenticate/", {"password": password})
            assert response.status_code == 302
            return client
        time.sleep(1)
    raise AssertionError(response.content.decode()[:2000])


def make_coerced(world):
    """The caseworker, with a duress password and recovery codes."""
    worker = world.users["caseworker"]
    do_set_duress_password(worker, DURESS, actor=worker)
    RecoveryCodes.activate(worker)
    return worker
