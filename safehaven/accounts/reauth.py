"""Both factors again before a sensitive page: the password *and* the second factor, each
re-checked through allauth's own re-authentication pages within its timeout
(``ACCOUNT_REAUTHENTICATION_TIMEOUT``). Used by travel's referral packages and finance's
exports.

allauth's ``reauthentication_required`` is satisfied by either one, and on a post it keeps the
whole request in the session (a database row) to replay it afterwards: a referral package's
post holds the passphrase and names what is chosen, so it must never be kept. Instead such a
page asks for both before it shows its form (a GET), and a post that comes too late is sent
back to that page, its content dropped."""

from __future__ import annotations

import time

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.login import get_authentication_records
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

# allauth's names: of an authentication record's method, and of the password's flow.
BY_PASSWORD = "password"  # noqa: S105 (a method's name, not a password)
SECOND_FACTOR = "mfa"
FIRST_FACTOR_FLOW = "reauthenticate"


def fresh_factors(request: HttpRequest) -> set[str]:
    """The factors (``password``, ``mfa``) this session re-checked within the timeout."""
    now = time.time()
    fresh = set()
    for record in get_authentication_records(request, request.user):
        if not isinstance(record, dict) or not record.get("reauthenticated"):
            continue
        try:
            at = float(record.get("at", 0))
        except (TypeError, ValueError):
            continue
        if now - at < app_settings.REAUTHENTICATION_TIMEOUT:
            fresh.add(str(record.get("method")))
    return fresh & {BY_PASSWORD, SECOND_FACTOR}


def _second_factor_url(request: HttpRequest) -> str:
    """allauth's page for the user's second factor (a code, or a security key)."""
    for method in get_adapter(request).get_reauthentication_methods(request.user):
        if method["id"] != FIRST_FACTOR_FLOW:
            return str(method["url"])
    raise PermissionDenied  # no second factor: the session middleware sends them to add one


def reauthentication_redirect(request: HttpRequest, back_to: str) -> HttpResponseRedirect | None:
    """None when both factors are fresh; otherwise a redirect to allauth's page for the first
    one that is not, coming back to ``back_to`` (a GET page) afterwards."""
    fresh = fresh_factors(request)
    if BY_PASSWORD not in fresh:
        page = reverse("account_reauthenticate")
    elif SECOND_FACTOR not in fresh:
        page = _second_factor_url(request)
    else:
        return None
    return HttpResponseRedirect(f"{page}?{urlencode({REDIRECT_FIELD_NAME: back_to})}")
