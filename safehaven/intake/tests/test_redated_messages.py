"""Someone who can write the database cannot re-date an old staff reply ("meet at ...") so
that the status page shows it as the newest: a message's hour is bound into its seal."""

from datetime import timedelta

import pytest

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import MessageKind
from safehaven.intake.handling.actions import do_reply_to_request
from safehaven.intake.models import RequestMessage
from safehaven.intake.tests.helpers import (
    SHOW_STATUS_URL,
    latest_request,
    opened_thread,
    private_key,
    requester_client,
    staff_client_with_keys,
    submit_request,
)
from safehaven.intake.thread.message_checks import check_thread

pytestmark = pytest.mark.django_db
OLD_PLAN = "Go to the bus station at 18:00, our driver will meet you"
NEW_PLAN = "Plans changed: stay where you are, we will call you."


def reply(world, help_request, text: str) -> RequestMessage:
    return do_reply_to_request(
        help_request, actor=world.users["triage"], private_key=private_key("triage"), text=text
    )


def sealed_before_the_hour_was_bound(help_request, world, text: str, *, hours_ago: int):
    """A staff reply as it was sealed before this change: kind and author, not the hour."""
    message = RequestMessage(
        record_id=help_request.message_record_id,
        help_request=help_request,
        kind=MessageKind.FROM_STAFF,
        author=world.users["triage"],
    )
    message.created_at -= timedelta(hours=hours_ago)
    message.body = opened_thread(help_request).seal(message.undated_binding("body"), text)
    message.save()
    return message


def test_it_treats_a_redated_staff_reply_as_forged(world):
    codename = submit_request()
    help_request = latest_request()
    old = reply(world, help_request, OLD_PLAN)
    reply(world, help_request, NEW_PLAN)
    # The writer moves the old plan after the new one.
    RequestMessage.objects.filter(pk=old.pk).update(created_at=old.created_at + timedelta(hours=3))

    page = requester_client(codename).get(SHOW_STATUS_URL).content.decode()
    html = staff_client_with_keys(world, "triage").get(f"/en/staff/requests/{help_request.pk}/")

    assert OLD_PLAN not in page
    assert NEW_PLAN in page
    assert OLD_PLAN not in html.content.decode()
    assert 'id="forged-messages"' in html.content.decode()
    assert AuditEvent.objects.filter(event_type=EventType.MESSAGE_FORGED).exists()


def test_it_still_opens_a_reply_sealed_before_the_hour_was_bound(world):
    codename = submit_request()
    help_request = latest_request()
    sealed_before_the_hour_was_bound(help_request, world, OLD_PLAN, hours_ago=3)
    reply(world, help_request, NEW_PLAN)

    page = requester_client(codename).get(SHOW_STATUS_URL).content.decode()

    assert OLD_PLAN in page
    assert NEW_PLAN in page


def test_it_refuses_an_older_reply_moved_after_the_first_reply_whose_hour_is_bound(world):
    submit_request()
    help_request = latest_request()
    old = sealed_before_the_hour_was_bound(help_request, world, OLD_PLAN, hours_ago=3)
    reply(world, help_request, NEW_PLAN)
    RequestMessage.objects.filter(pk=old.pk).update(created_at=old.created_at + timedelta(hours=4))

    thread = check_thread(help_request, opened_thread(help_request))

    assert [checked.body for checked in thread.messages] == [NEW_PLAN]
    assert [message.pk for message in thread.forged] == [old.pk]
