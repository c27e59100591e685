"""A request's audit trail, linked from its page: who opened, answered or changed it, with the
person's own actions only for a reader whose key opens the request; reading it is audited."""

import pytest

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import (
    MESSAGE_URL,
    latest_request,
    requester_client,
    staff_client_with_keys,
    submit_request,
)

pytestmark = pytest.mark.django_db


def trail_url(help_request) -> str:
    return f"/en/staff/requests/{help_request.pk}/trail/"


def test_it_links_the_trail_from_the_request_page_and_lists_who_opened_it(world):
    codename = submit_request()
    assert requester_client(codename).post(MESSAGE_URL, {"body": "hello"}).status_code == 302
    help_request = latest_request()
    triage = staff_client_with_keys(world, "triage")
    page = triage.get(f"/en/staff/requests/{help_request.pk}/").content.decode()
    assert f'href="{trail_url(help_request)}"' in page

    html = triage.get(trail_url(help_request)).content.decode()

    assert 'id="request-trail"' in html
    assert "Help request opened" in html
    assert ">triage<" in html
    # The person's own events, found through the key that opens the request.
    assert "Message received from requester" in html
    assert 'id="trail-without-requester"' not in html
    viewed = AuditEvent.objects.filter(event_type=EventType.AUDIT_VIEWED).get()
    assert viewed.actor == world.users["triage"]
    assert viewed.target_ref == str(help_request.record_id)


def test_it_shows_an_administrator_the_staff_events_only(world, staff_client):
    codename = submit_request()
    assert requester_client(codename).post(MESSAGE_URL, {"body": "hello"}).status_code == 302
    help_request = latest_request()
    assert (
        staff_client_with_keys(world, "triage")
        .get(f"/en/staff/requests/{help_request.pk}/")
        .status_code
        == 200
    )

    html = staff_client("admin").get(trail_url(help_request)).content.decode()

    assert "Help request opened" in html
    assert "Message received from requester" not in html
    assert 'id="trail-without-requester"' in html


@pytest.mark.parametrize("username", ["partner_a", "caseworker", "finance"])
def test_it_refuses_the_trail_to_others(world, staff_client, partner_codes, username):
    submit_request(referral_code=partner_codes["partner_a"])
    help_request = latest_request()

    assert staff_client(username).get(trail_url(help_request)).status_code in (403, 404)
    assert not AuditEvent.objects.filter(event_type=EventType.AUDIT_VIEWED).exists()
