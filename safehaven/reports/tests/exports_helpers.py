"""Helpers for the figures export's tests: real logins that re-enter both factors, and the
file read back as rows."""

from __future__ import annotations

import csv
import io
import time
from typing import Any

from django.core.cache import cache
from django.test import Client

from safehaven.accounts.seed import current_totp
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent

EXPORT_URL = "/en/staff/reports/exports/"
LOGIN_URL = "/en/accounts/login/"
SECOND_FACTOR_URL = "/en/accounts/2fa/authenticate/"
REAUTHENTICATE_URL = "/en/accounts/reauthenticate/"
SECOND_FACTOR_AGAIN_URL = "/en/accounts/2fa/reauthenticate/"


def _code_accepted(client: Client, url: str, secret: str) -> None:
    for _attempt in range(3):
        cache.clear()  # allauth refuses a code used once already in this period
        response = client.post(url, {"code": current_totp(secret)})
        if response.status_code == 302:
            return
        time.sleep(1)
    raise AssertionError(response.content.decode()[:2000])


def logged_in(world: Any, username: str, password: str = TEST_PASSWORD) -> Client:
    """A browser that typed ``password`` and a TOTP code: logged in, nothing re-entered."""
    client = Client()
    user = world.users[username]
    response = client.post(LOGIN_URL, {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == SECOND_FACTOR_URL
    _code_accepted(client, SECOND_FACTOR_URL, world.totp_secrets[username])
    return client


def reauthenticated(
    world: Any, username: str, password: str = TEST_PASSWORD, client: Client | None = None
) -> Client:
    """Logged in, then both factors typed again on allauth's re-authentication pages."""
    client = client or logged_in(world, username, password)
    response = client.post(REAUTHENTICATE_URL, {"password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    _code_accepted(client, SECOND_FACTOR_AGAIN_URL, world.totp_secrets[username])
    return client


def file_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.content.decode()[:2000]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="figures-')
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def exported_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=EventType.REPORT_EXPORTED).order_by("pk"))
