"""Shared helpers for intake tests: a valid submission and its proof-of-work stamp, the status
page's addresses, requesters with their codename, and staff logged in with their keys."""

import re
import time
from typing import Any

from django.conf import settings
from django.test import Client

from safehaven.accounts.models import User
from safehaven.accounts.seed import current_totp
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.core.crypto import unprotect_with_password
from safehaven.core.public_forms.proof_of_work import issue_challenge, solve
from safehaven.intake.codename import CODENAME_WORDS
from safehaven.intake.models import HelpRequest, RequestMessage
from safehaven.keys.models import UserKeyPair
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record


def valid_post(**overrides: object) -> dict[str, object]:
    """The smallest request a person could send."""
    data: dict[str, object] = {
        "situation": "My family found my messages and told the police.",
        "country": "RU",
        "citizenships": ["RU"],
        "languages": ["ru"],
        "contact_signal": "+7 912 345-67-89",
        "may_leave_message": "no",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def stamp_fields(bits: int | None = None) -> dict[str, str]:
    bits = settings.INTAKE_POW_BITS if bits is None else bits
    challenge = issue_challenge(bits)
    return {"pow_challenge": challenge, "pow_counter": str(solve(challenge, bits))}


STATUS_URL = "/en/status/"
SHOW_STATUS_URL = "/en/status/request/"
MESSAGE_URL = "/en/status/request/message/"
CONTACTS_URL = "/en/status/request/contacts/"
WITHDRAW_URL = "/en/status/request/withdraw/"


def codename_from(html: str) -> str:
    """The codename words of a receipt page."""
    listing = html.split('class="codename"')[1].split("</ol>")[0]
    words = re.findall(r"<li>([a-z-]+)</li>", listing)
    assert len(words) == CODENAME_WORDS, html
    return " ".join(words)


def submit_request(client: Client | None = None, **overrides: object) -> str:
    """Send a request through the public form; return its codename."""
    client = client or Client()
    response = client.post("/en/help/", valid_post(**overrides) | stamp_fields())
    assert response.status_code == 200, response.content.decode()[:2000]
    return codename_from(response.content.decode())


NONCE = re.compile(r'nonce-[A-Za-z0-9+/=_-]+|nonce="[^"]*"')


def comparable(response: Any) -> tuple[int, list[tuple[str, str]], list[tuple[str, str]], bytes]:
    """Status, headers with their values, cookies with their attributes (their values are
    random) and body, with the per-response CSP nonce blanked."""
    body = NONCE.sub("nonce", response.content.decode("utf-8", "surrogateescape"))
    body_bytes = body.encode("utf-8", "surrogateescape")
    headers = sorted((name, NONCE.sub("nonce", value)) for name, value in response.headers.items())
    cookies = sorted(
        (name, repr(sorted((key, str(value)) for key, value in morsel.items())))
        for name, morsel in response.cookies.items()
    )
    return response.status_code, headers, cookies, body_bytes


def latest_request() -> HelpRequest:
    return HelpRequest.objects.order_by("-pk").first()  # type: ignore[return-value]


def open_status(
    client: Client, codename: str, phrase: str = "", secure: bool = False, **headers: str
):
    data = {"codename": codename, "phrase": phrase}
    return client.post(STATUS_URL, data, headers=headers, secure=secure)


def requester_client(codename: str) -> Client:
    """A browser that opened its status page with ``codename``."""
    client = Client()
    response = open_status(client, codename)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def private_key(username: str) -> bytes:
    pair = UserKeyPair.objects.get(user__username=username)
    return unprotect_with_password(bytes(pair.protected_private_key), TEST_PASSWORD)


def staff_client_with_keys(world: Any, username: str) -> Client:
    """A staff browser logged in with password and TOTP, so its private key is unlocked."""
    client = Client()
    user = world.users[username]
    response = client.post("/en/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    for _attempt in range(2):
        # A code made just before the 30-second period turns is stale when it arrives.
        code = current_totp(world.totp_secrets[username])
        response = client.post("/en/accounts/2fa/authenticate/", {"code": code})
        if response.status_code == 302:
            return client
        time.sleep(1)
    raise AssertionError(response.content.decode()[:2000])


def opened_record(help_request: HelpRequest, username: str = "triage") -> OpenedRecord:
    user = User.objects.get(username=username)
    return open_record(help_request.record_id, user=user, private_key=private_key(username))


def opened_thread(help_request: HelpRequest, username: str = "triage") -> OpenedRecord:
    """The request's thread (its own record, or the request's for one made before)."""
    user = User.objects.get(username=username)
    return open_record(help_request.message_record_id, user=user, private_key=private_key(username))


def opened_request(help_request: HelpRequest, username: str = "triage") -> HelpRequest:
    opened = opened_record(help_request, username)
    return HelpRequest.objects.get(pk=help_request.pk).open_with(opened)


def thread_bodies(help_request: HelpRequest, username: str = "triage") -> list[tuple[str, str]]:
    """(kind, opened body) of every message of the request, oldest first (a notice's body
    without the padding it is sealed with)."""
    opened = opened_thread(help_request, username)
    bodies = []
    for message in RequestMessage.objects.filter(help_request=help_request).order_by("pk"):
        body = message.open_with(opened).sealed("body") or ""
        bodies.append((message.kind, body.strip() if message.kind == "notice" else body))
    return bodies


def rate_limits(**budgets: tuple[int, int]) -> dict[str, tuple[int, int]]:
    """Rate limits for a test: ``budgets`` as given, every other bucket generous."""
    from safehaven.intake.rate_budgets import Bucket

    unknown = set(budgets) - {bucket.value for bucket in Bucket}
    if unknown:
        raise ValueError(f"no such rate limit bucket: {sorted(unknown)}")
    return {bucket.value: (100, 3600) for bucket in Bucket} | budgets
