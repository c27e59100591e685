"""Someone who can write the database, and nothing more, cannot make a message pass for ours:
a message's kind and author are bound into its seal, a staff reply sealed to the public inbox
key is refused, and a row that fails its check is never shown and raises the alarm."""

import pytest

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import MessageKind
from safehaven.intake.models import RequestMessage
from safehaven.intake.tests.helpers import (
    MESSAGE_URL,
    SHOW_STATUS_URL,
    latest_request,
    opened_thread,
    requester_client,
    staff_client_with_keys,
    submit_request,
)
from safehaven.keys.records import seal_for_inbox

pytestmark = pytest.mark.django_db
LURE = "Go to the bus station at 18:00, our driver will meet you"


def show_url(help_request) -> str:
    return f"/en/staff/requests/{help_request.pk}/"


def forged_alarms() -> int:
    return AuditEvent.objects.filter(event_type=EventType.MESSAGE_FORGED).count()


def insert_with_database_access_only(help_request, *, kind: str, author=None, legacy=False):
    """What an attacker with write access to the database (and no key) can do: seal to the
    record's public inbox key, under either binding, and insert the row."""
    message = RequestMessage(
        record_id=help_request.message_record_id,
        help_request=help_request,
        kind=kind,
        author=author,
    )
    binding = message.legacy_binding("body") if legacy else message.sealed_binding("body")
    message.body = seal_for_inbox(help_request.message_record_id, binding, LURE)
    message.save()
    return message


@pytest.mark.parametrize("legacy", [False, True])
def test_it_never_shows_a_staff_message_sealed_to_the_inbox_key(world, legacy):
    codename = submit_request()
    help_request = latest_request()
    insert_with_database_access_only(
        help_request, kind=MessageKind.FROM_STAFF, author=world.users["triage"], legacy=legacy
    )

    page = requester_client(codename).get(SHOW_STATUS_URL).content.decode()

    assert LURE not in page
    assert "We wrote" not in page


def test_it_raises_the_alarm_for_staff_and_hides_the_forged_message(world):
    submit_request()
    help_request = latest_request()
    forged = insert_with_database_access_only(help_request, kind=MessageKind.FROM_STAFF)

    html = staff_client_with_keys(world, "triage").get(show_url(help_request)).content.decode()

    assert 'id="forged-messages"' in html
    assert LURE not in html
    event = AuditEvent.objects.get(event_type=EventType.MESSAGE_FORGED)
    assert event.actor == world.users["triage"]
    assert str(forged.pk) in event.detail


def test_it_refuses_a_requester_message_moved_to_kind_staff(world):
    codename = submit_request()
    person = requester_client(codename)
    assert person.post(MESSAGE_URL, {"body": LURE}).status_code == 302
    help_request = latest_request()
    RequestMessage.objects.filter(help_request=help_request).update(kind=MessageKind.FROM_STAFF)

    page = requester_client(codename).get(SHOW_STATUS_URL).content.decode()
    html = staff_client_with_keys(world, "triage").get(show_url(help_request)).content.decode()

    assert LURE not in page
    assert LURE not in html
    assert 'id="forged-messages"' in html
    assert forged_alarms() == 1


def test_it_refuses_a_staff_reply_whose_kind_or_author_was_changed(world):
    from safehaven.intake.handling.actions import do_reply_to_request
    from safehaven.intake.tests.helpers import private_key

    codename = submit_request()
    help_request = latest_request()
    reply = do_reply_to_request(
        help_request, actor=world.users["triage"], private_key=private_key("triage"), text=LURE
    )
    # Relabelled as the person's own words, then under another author's name.
    RequestMessage.objects.filter(pk=reply.pk).update(kind=MessageKind.FROM_REQUESTER)
    assert LURE not in requester_client(codename).get(SHOW_STATUS_URL).content.decode()
    RequestMessage.objects.filter(pk=reply.pk).update(
        kind=MessageKind.FROM_STAFF, author=world.users["supervisor"]
    )

    html = staff_client_with_keys(world, "triage").get(show_url(help_request)).content.decode()

    assert LURE not in html
    assert 'id="forged-messages"' in html


def test_it_still_opens_a_reply_sealed_before_kinds_were_bound(world):
    codename = submit_request()
    help_request = latest_request()
    reply = RequestMessage(
        record_id=help_request.message_record_id,
        help_request=help_request,
        kind=MessageKind.FROM_STAFF,
        author=world.users["triage"],
    )
    opened = opened_thread(help_request)
    reply.body = opened.seal(reply.legacy_binding("body"), "We read your request.")
    reply.save()

    page = requester_client(codename).get(SHOW_STATUS_URL).content.decode()
    html = staff_client_with_keys(world, "triage").get(show_url(help_request)).content.decode()

    assert "We wrote" in page
    assert "We read your request." in page
    assert "We read your request." in html
    assert "the name of its author is not verified" in html
    assert 'id="forged-messages"' not in html


def test_it_marks_what_only_the_public_inbox_key_vouches_for(world):
    from safehaven.intake.handling.actions import do_reply_to_request
    from safehaven.intake.tests.helpers import private_key

    codename = submit_request()
    requester_client(codename).post(MESSAGE_URL, {"body": "Are you there?"})
    help_request = latest_request()
    do_reply_to_request(
        help_request, actor=world.users["triage"], private_key=private_key("triage"), text="Yes."
    )

    html = staff_client_with_keys(world, "triage").get(show_url(help_request)).content.decode()
    entries = html.split('class="thread-entry')[1:]

    assert len(entries) == 2
    assert "Not verifiable: arrived through the public inbox key" in entries[0]
    assert "Not verifiable" not in entries[1]


def test_it_never_seals_a_staff_message_to_the_inbox_key(world):
    submit_request()
    help_request = latest_request()
    message = RequestMessage(
        record_id=help_request.message_record_id,
        help_request=help_request,
        kind=MessageKind.FROM_STAFF,
    )
    with pytest.raises(ValueError, match="never sealed to the inbox key"):
        message.seal_for_inbox("body", LURE)
