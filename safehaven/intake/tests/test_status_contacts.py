"""The status page's contact form: it never shows the sealed contact details (a coercer
holding the phone and the codename would learn the person's safe, hidden channel)."""

import json
import re

import pytest
from django.test import Client

from safehaven.intake.tests.helpers import (
    CONTACTS_URL,
    latest_request,
    opened_request,
    requester_client,
    submit_request,
)

pytestmark = pytest.mark.django_db
SIGNAL = "+7 912 345-67-89"
EMAIL = "Hidden.Channel@Example.org"
TIMES = "Evenings after Kazan prayers"


@pytest.fixture
def requester(world) -> Client:
    codename = submit_request(
        contact_signal=SIGNAL, contact_email=EMAIL, contact_times=TIMES, may_leave_message="yes"
    )
    return requester_client(codename)


def test_it_never_shows_the_contact_details_on_file(world, requester: Client):
    html = requester.get(CONTACTS_URL).content.decode()
    digits = re.sub(r"\D", "", html)
    assert "79123456789" not in digits
    assert "345-67-89" not in html
    lower = html.lower()
    for value in (EMAIL, "hidden.channel", TIMES, "kazan"):
        assert value.lower() not in lower
    assert "checked" not in html  # not even whether we may leave a message


def test_it_says_which_kinds_of_contact_are_on_file(world, requester: Client):
    html = requester.get(CONTACTS_URL).content.decode()
    assert "We have these kinds on file: Signal, E-mail" in html
    assert "this page never shows the contact details you gave us" in html


def test_it_replaces_everything_on_file_when_saved(world, requester: Client):
    response = requester.post(
        CONTACTS_URL, {"contact_telegram": "@new_safe_name", "may_leave_message": "no"}
    )
    assert response.status_code == 302
    help_request = opened_request(latest_request())
    assert json.loads(help_request.sealed("contacts") or "") == {"telegram": "@new_safe_name"}
    assert help_request.sealed("contact_times") == ""
    assert help_request.sealed("may_leave_message") == "no"
    html = requester.get(CONTACTS_URL).content.decode()
    assert "We have these kinds on file: Telegram" in html
    assert "new_safe_name" not in html


def test_it_changes_nothing_when_every_way_is_left_empty(world, requester: Client):
    response = requester.post(CONTACTS_URL, {"contact_times": "", "may_leave_message": "no"})
    assert response.status_code == 200
    assert "Please give at least one safe way to reach you." in response.content.decode()
    help_request = opened_request(latest_request())
    assert json.loads(help_request.sealed("contacts") or "") == {
        "signal": SIGNAL,
        "email": EMAIL,
    }
    assert help_request.sealed("contact_times") == TIMES
