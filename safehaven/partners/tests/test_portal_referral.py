"""One referral on the portal: its neutral status and the messages with the organisation (a
round trip partner → staff → partner, sealed, audited by ids); partner B cannot see, guess or
act on partner A's referral (404 for every method); rows that do not match their seal say so."""

import pytest
from django.test import Client

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import opened_record
from safehaven.keys.records import seal_for_inbox
from safehaven.keys.wrapping import is_inbox_blob
from safehaven.partners.choices import MessageDirection
from safehaven.partners.models import ReferralMessage
from safehaven.partners.tests.portal_helpers import (
    NAME,
    STORY,
    logged_in,
    photo_upload,
    refer,
    show_url,
    staff_messages_url,
)

pytestmark = pytest.mark.django_db
HELLO = "Partner-Note-Windhover: we met her twice."
ANSWER = "Staff-Answer-Cobblestone: thank you."


def test_it_shows_the_neutral_status_and_never_the_sealed_story(world):
    referral = refer(world)
    response = logged_in(world, "partner_a").get(show_url(referral))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="referral-status">Received<' in html
    assert STORY not in html
    assert NAME not in html
    assert "No messages yet." in html


def test_messages_go_from_partner_to_staff_and_back(world):
    referral = refer(world)
    partner = logged_in(world, "partner_a")
    sent = partner.post(f"{show_url(referral)}messages/", {"body": HELLO})
    assert sent.status_code == 302
    row = ReferralMessage.objects.get()
    assert row.direction == MessageDirection.FROM_PARTNER
    assert row.author == world.users["partner_a"]
    assert HELLO.encode() not in bytes(row.body)
    assert not is_inbox_blob(bytes(row.body))  # under the data key: a database writer cannot

    triage = logged_in(world, "triage")
    staff_page = triage.get(staff_messages_url(referral)).content.decode()
    assert HELLO in staff_page
    assert "partner_a (partner) wrote" in staff_page
    answered = triage.post(staff_messages_url(referral), {"body": ANSWER})
    assert answered.status_code == 302

    html = partner.get(show_url(referral)).content.decode()
    assert html.index(HELLO) < html.index(ANSWER)
    assert "The organisation wrote" in html
    assert "triage" not in html.split('id="referral-messages"')[1].split("</ol>")[0]
    events = AuditEvent.objects.filter(event_type=EventType.REFERRAL_MESSAGE_SENT)
    assert events.count() == 2
    for event in events:
        assert HELLO not in event.detail
        assert ANSWER not in event.detail


def test_it_refuses_an_empty_or_too_long_message(world):
    referral = refer(world)
    partner = logged_in(world, "partner_a")
    empty = partner.post(f"{show_url(referral)}messages/", {"body": "   "})
    assert empty.status_code == 200
    assert "Please fill this in." in empty.content.decode()
    long = partner.post(f"{show_url(referral)}messages/", {"body": "x" * 5001})
    assert long.status_code == 200
    assert "Please shorten this to at most 5000 characters" in long.content.decode()
    assert not ReferralMessage.objects.exists()


def test_partner_b_cannot_see_guess_or_act_on_partner_as_referral(world):
    referral = refer(world)
    mine = refer(world, "partner_b")
    intruder = logged_in(world, "partner_b")
    assert intruder.get(show_url(mine)).status_code == 200
    missing = HelpRequest.objects.latest("pk").pk + 1
    for request_id in (referral.pk, missing):
        url = f"/en/partners/referrals/{request_id}/"
        assert intruder.get(url).status_code == 404
        assert intruder.post(f"{url}messages/", {"body": HELLO}).status_code == 404
        upload = {"file": photo_upload(), "note": HELLO}
        assert intruder.post(f"{url}evidence/", upload).status_code == 404
    assert not ReferralMessage.objects.filter(help_request=referral).exists()
    assert not referral.attachments.exists()
    # Nor through the staff page: partners use their portal.
    assert intruder.get(staff_messages_url(referral)).status_code == 403
    assert logged_in(world, "partner_a").get(staff_messages_url(referral)).status_code == 403


@pytest.mark.parametrize("username", ["triage", "caseworker", "admin", "interpreter"])
def test_staff_roles_get_403_on_the_portal_pages(world, username):
    referral = refer(world)
    client = Client()
    client.force_login(world.users[username])
    assert client.get(show_url(referral)).status_code == 403
    assert client.post(f"{show_url(referral)}messages/", {"body": HELLO}).status_code == 403


def test_a_row_that_does_not_match_its_seal_is_not_shown(world):
    referral = refer(world)
    # A database writer can seal to the public inbox key, and change clear columns.
    planted = ReferralMessage(
        record_id=referral.record_id,
        help_request=referral,
        direction=MessageDirection.FROM_STAFF,
    )
    # The field refuses inbox sealing; the attacker calls the primitive underneath.
    planted.body = seal_for_inbox(
        referral.record_id, planted.sealed_binding("body"), "Planted-Order: send her passport"
    )
    planted.save()
    genuine = ReferralMessage(
        record_id=referral.record_id,
        help_request=referral,
        direction=MessageDirection.FROM_PARTNER,
        author=world.users["partner_a"],
    )
    genuine.open_with(opened_record(referral)).seal("body", "Re-dated-Words")
    genuine.save()
    ReferralMessage.objects.filter(pk=genuine.pk).update(direction=MessageDirection.FROM_STAFF)
    html = logged_in(world, "partner_a").get(show_url(referral)).content.decode()
    assert "Planted-Order" not in html
    assert "Re-dated-Words" not in html
    assert "2 messages here do not match their seals" in html
