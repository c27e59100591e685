"""Limits on what one request's status pages may send: messages and contact changes count per
request (not per address), a withdrawal is never refused, and what was typed comes back."""

import pytest
from django.test import Client

from safehaven.core.models import AuditEvent
from safehaven.intake.choices import MessageKind, Notice
from safehaven.intake.handling.actions import do_reply_to_request
from safehaven.intake.models import RequestMessage
from safehaven.intake.tests.helpers import (
    CONTACTS_URL,
    MESSAGE_URL,
    STATUS_URL,
    WITHDRAW_URL,
    latest_request,
    private_key,
    rate_limits,
    requester_client,
    submit_request,
    thread_bodies,
)

pytestmark = pytest.mark.django_db


def contact_change(signal: str) -> dict[str, str]:
    return {"contact_signal": signal, "contact_times": "evenings", "may_leave_message": "no"}


def test_it_gives_a_message_back_past_the_requests_budget(settings, requester: Client):
    settings.INTAKE_RATE_LIMITS = rate_limits(status_changes=(2, 3600))
    for number in range(2):
        assert requester.post(MESSAGE_URL, {"body": f"note {number}"}).status_code == 302
    messages, events = RequestMessage.objects.count(), AuditEvent.objects.count()

    refused = requester.post(MESSAGE_URL, {"body": "the third note, kept 5e1"})

    assert refused.status_code == 429
    html = refused.content.decode()
    assert "the third note, kept 5e1" in html
    assert "Many messages and changes have been sent from this page" in html
    assert (RequestMessage.objects.count(), AuditEvent.objects.count()) == (messages, events)
    # The page stays open: the cookie is renewed, not dropped.
    assert requester.get("/en/status/request/").status_code == 200


def test_it_counts_contact_changes_with_messages(settings, requester: Client):
    settings.INTAKE_RATE_LIMITS = rate_limits(status_changes=(1, 3600))
    assert requester.post(MESSAGE_URL, {"body": "hello"}).status_code == 302
    events = AuditEvent.objects.count()

    refused = requester.post(CONTACTS_URL, contact_change("+7 999 000-11-22"))

    assert refused.status_code == 429
    assert 'value="+7 999 000-11-22"' in refused.content.decode()
    assert AuditEvent.objects.count() == events


def test_it_counts_per_request_not_per_address(settings, world):
    settings.INTAKE_RATE_LIMITS = rate_limits(status_changes=(1, 3600))
    # Two people behind one address (a carrier's NAT): neither uses up the other's budget.
    first, second = requester_client(submit_request()), requester_client(submit_request())
    assert first.post(MESSAGE_URL, {"body": "from the first"}).status_code == 302
    assert second.post(MESSAGE_URL, {"body": "from the second"}).status_code == 302
    assert first.post(MESSAGE_URL, {"body": "again"}).status_code == 429


def test_it_still_takes_a_withdrawal_past_the_budget(settings, requester: Client):
    settings.INTAKE_RATE_LIMITS = rate_limits(status_changes=(0, 3600))
    assert requester.post(MESSAGE_URL, {"body": "hello"}).status_code == 429

    response = requester.post(WITHDRAW_URL, {"confirm": "on"})

    assert response.status_code == 200
    assert latest_request().withdrawn_at is not None


def test_it_opens_the_page_but_gives_back_a_kept_message_past_the_budget(settings, world):
    settings.INTAKE_RATE_LIMITS = rate_limits(status_changes=(0, 3600))
    codename = submit_request(checkin_phrase="blue teapot")
    typed = "typed while the page was closed 7c3"

    response = Client().post(
        STATUS_URL, {"codename": codename, "phrase": "blue teapot", "body": typed}
    )

    assert response.status_code == 429
    html = response.content.decode()
    assert typed in html
    assert "Many messages and changes have been sent from this page" in html
    assert response.cookies["sh_status"].value  # the page is open
    # The check-in still counts; the message was not sent.
    assert thread_bodies(latest_request()) == [(MessageKind.NOTICE, Notice.CHECKED_IN)]


def test_it_shows_the_thread_with_a_message_given_back_past_the_budget(settings, world):
    settings.INTAKE_RATE_LIMITS = rate_limits(status_changes=(0, 3600))
    requester = requester_client(submit_request())
    help_request = latest_request()
    do_reply_to_request(
        help_request,
        actor=world.users["triage"],
        private_key=private_key("triage"),
        text="An answer 4f1",
    )

    refused = requester.post(MESSAGE_URL, {"body": "over the budget"})

    assert refused.status_code == 429
    assert "An answer 4f1" in refused.content.decode()
