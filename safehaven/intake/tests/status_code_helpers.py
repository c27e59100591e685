"""Helpers for the one-time status code tests: a referral without a codename (as a partner's
portal or API makes one), a code issued for it, and a person choosing their codename."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from safehaven.accounts.models import User
from safehaven.intake.models import HelpRequest
from safehaven.intake.status_codes.actions import do_issue_status_code
from safehaven.intake.tests.helpers import (
    codename_from,
    latest_request,
    open_status,
    private_key,
    submit_request,
)
from safehaven.keys.codename_wraps import remove_codename_wraps

CHOOSE_URL = "/en/status/choose/"


def referral_without_codename(**overrides: Any) -> HelpRequest:
    """A request as a partner's referral leaves it: no codename hash, no requester wrap."""
    submit_request(**overrides)
    help_request = latest_request()
    for record_id in help_request.record_ids:
        remove_codename_wraps(record_id)
    HelpRequest.objects.filter(pk=help_request.pk).update(codename_hash=None)
    return HelpRequest.objects.get(pk=help_request.pk)


def issue_code(help_request: HelpRequest, username: str = "triage") -> str:
    actor = User.objects.get(username=username)
    return do_issue_status_code(
        HelpRequest.objects.get(pk=help_request.pk), actor=actor, private_key=private_key(username)
    )


def offered(html: str) -> tuple[str, str]:
    """The codename a choose page offers, and its tag."""
    tag = re.search(r'name="offer" value="([0-9a-f]+)"', html)
    assert tag is not None, html[:2000]
    return codename_from(html), tag.group(1)


def open_choose_step(code: str) -> Client:
    """A browser that typed ``code`` on the codename form and reached the choose step."""
    client = Client()
    response = open_status(client, code)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == CHOOSE_URL
    return client


def choose(client: Client) -> tuple[str, Any]:
    """Take the codename the step offers; return it and the response."""
    codename, tag = offered(client.get(CHOOSE_URL).content.decode())
    response = client.post(CHOOSE_URL, {"codename": codename, "offer": tag, "written_down": "on"})
    return codename, response


def is_refused_like_a_miss(client: Client, text: str) -> bool:
    response = open_status(client, text)
    return response.status_code == 200 and b"These words do not open a request." in (
        response.content
    )
