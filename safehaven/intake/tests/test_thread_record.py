"""A request's thread is a record of its own: made at intake with the request's readers, used
for every message, opened by the status session, shredded with the request; requests made
before keep their thread under the request's key."""

import pytest

from safehaven.intake.erasure.actions import do_shred_help_request
from safehaven.intake.handling.actions import do_reply_to_request, do_share_help_request
from safehaven.intake.models import HelpRequest, RequestMessage, StatusSession
from safehaven.intake.tests.helpers import (
    MESSAGE_URL,
    SHOW_STATUS_URL,
    latest_request,
    private_key,
    requester_client,
    staff_client_with_keys,
    submit_request,
    thread_bodies,
)
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.models import RecordKey, RecordKeyWrap, ShreddedRecord
from safehaven.keys.records import open_record, open_record_with_codename

pytestmark = pytest.mark.django_db

STORY = "SENTINEL-thread-story they beat me at the checkpoint"
WRITTEN = "SENTINEL-thread-message can you call me on Sunday"
ANSWER = "SENTINEL-thread-answer yes, on Sunday"


def show_url(help_request: HelpRequest) -> str:
    return f"/en/staff/requests/{help_request.pk}/"


def readers(record_id) -> set[tuple[str, object, object]]:
    """Whom a record is wrapped to: (kind, team, escrow) of each wrap."""
    return {
        (wrap.kind, wrap.team_key.team_id if wrap.team_key else None, wrap.escrow_id)
        for wrap in RecordKeyWrap.objects.filter(record_key__record_id=record_id).select_related(
            "team_key"
        )
    }


def reply(world, help_request: HelpRequest, text: str = ANSWER) -> None:
    do_reply_to_request(
        help_request, actor=world.users["triage"], private_key=private_key("triage"), text=text
    )


def test_it_wraps_the_thread_to_the_same_readers_as_the_request(world):
    codename = submit_request(situation=STORY, referral_code="")
    help_request = latest_request()
    assert help_request.thread_record_id is not None
    assert help_request.thread_record_id != help_request.record_id
    assert readers(help_request.thread_record_id) == readers(help_request.record_id)
    assert len(readers(help_request.record_id)) >= 3  # triage team, escrow, codename
    assert open_record_with_codename(help_request.thread_record_id, " ".join(codename.split()))


def test_it_seals_every_message_to_the_thread_record(world):
    codename = submit_request(situation=STORY)
    help_request = latest_request()
    person = requester_client(codename)
    person.post(MESSAGE_URL, {"body": WRITTEN})
    reply(world, help_request)

    rows = RequestMessage.objects.filter(help_request=help_request)
    assert {row.record_id for row in rows} == {help_request.thread_record_id}
    assert [body for _kind, body in thread_bodies(help_request)] == [WRITTEN, ANSWER]
    # The person's page reads the thread through the session, which holds both keys.
    assert ANSWER in person.get(SHOW_STATUS_URL).content.decode()
    session = StatusSession.objects.get(help_request=help_request)
    assert session.sealed_thread_key is not None


def test_it_keeps_the_thread_of_a_request_made_before_under_its_key(world):
    codename = submit_request(situation=STORY)
    HelpRequest.objects.filter(pk=latest_request().pk).update(thread_record_id=None)
    help_request = latest_request()
    person = requester_client(codename)
    person.post(MESSAGE_URL, {"body": WRITTEN})
    reply(world, help_request)

    rows = RequestMessage.objects.filter(help_request=help_request)
    assert {row.record_id for row in rows} == {help_request.record_id}
    assert StatusSession.objects.get(help_request=help_request).sealed_thread_key is None
    assert ANSWER in person.get(SHOW_STATUS_URL).content.decode()
    page = staff_client_with_keys(world, "triage").get(show_url(help_request)).content.decode()
    assert WRITTEN in page
    assert ANSWER in page


def test_it_shares_the_thread_with_the_request(world):
    submit_request(situation=STORY)
    help_request = latest_request()
    caseworker = world.users["caseworker"]
    do_share_help_request(
        help_request,
        to_user=caseworker,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    assert len(help_request.record_ids) == 2
    for record_id in help_request.record_ids:
        assert open_record(record_id, user=caseworker, private_key=private_key("caseworker"))


def test_it_shreds_the_thread_with_the_request(world):
    codename = submit_request(situation=STORY)
    help_request = latest_request()
    requester_client(codename).post(MESSAGE_URL, {"body": WRITTEN})
    thread_id = help_request.message_record_id
    assert thread_id != help_request.record_id

    do_shred_help_request(help_request, actor=None)

    shredded = set(ShreddedRecord.objects.values_list("record_id", flat=True))
    assert {help_request.record_id, thread_id} <= shredded
    assert not RecordKey.objects.filter(record_id__in=[help_request.record_id, thread_id]).exists()
    with pytest.raises(RecordUnavailable):
        open_record(thread_id, user=world.users["triage"], private_key=private_key("triage"))
