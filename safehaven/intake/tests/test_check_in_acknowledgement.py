"""Every check-in, ordinary or danger, waits for a key holder's acknowledgement (with a note),
holds a withdrawn request's erasure until then (at most seven days past the plan), and changes
the same clear columns the same way: a database copy cannot tell which phrase was typed."""

from datetime import datetime, timedelta

import pytest
from django.test import Client

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import MessageKind
from safehaven.intake.erasure.actions import shred_due_requests
from safehaven.intake.handling.actions import RequestActionRefused, do_acknowledge_check_in
from safehaven.intake.models import CHECK_IN_ERASURE_HOLD, HelpRequest, RequestMessage
from safehaven.intake.tests.helpers import (
    STATUS_URL,
    WITHDRAW_URL,
    latest_request,
    private_key,
    requester_client,
    staff_client_with_keys,
    submit_request,
)

pytestmark = pytest.mark.django_db
CHECK_IN = "blue river morning"
DANGER = "red lantern harbour"


def show_url(help_request: HelpRequest) -> str:
    return f"/en/staff/requests/{help_request.pk}/"


def acknowledge_url(help_request: HelpRequest) -> str:
    return f"/en/staff/requests/{help_request.pk}/check-ins/acknowledge/"


def check_in(codename: str, phrase: str) -> None:
    Client().post(STATUS_URL, {"codename": codename, "phrase": phrase})


def request_with_phrases(referral_code: str = "") -> tuple[str, HelpRequest]:
    codename = submit_request(
        checkin_phrase=CHECK_IN, duress_phrase=DANGER, referral_code=referral_code
    )
    return codename, latest_request()


def withdrawn(codename: str) -> None:
    assert requester_client(codename).post(WITHDRAW_URL, {"confirm": "on"}).status_code == 200


def notice_of(help_request: HelpRequest) -> RequestMessage:
    return RequestMessage.objects.get(help_request=help_request, kind=MessageKind.NOTICE)


def clear_columns(help_request: HelpRequest) -> dict[str, object]:
    """What a database copy shows of a request after a check-in, without what differs between
    any two requests anyway (ids, hashes, sealed values: those are compared by length)."""
    fresh = HelpRequest.objects.get(pk=help_request.pk)
    values = HelpRequest.objects.filter(pk=help_request.pk).values().get()
    row: dict[str, object] = dict(values)
    for name in (
        "id",
        "record_id",
        "thread_record_id",
        "codename_hash",
        "withdrawn_at",
        "shred_due_at",
    ):
        row.pop(name)
    row.pop("unread_since")
    for name in HelpRequest.sealed_field_names():
        value = getattr(fresh, name)
        row[name] = None if value is None else len(bytes(value))
    row["unread"] = fresh.unread_since is not None
    if fresh.withdrawn_at is not None and fresh.shred_due_at is not None:
        row["erasure_after_withdrawal"] = fresh.shred_due_at - fresh.withdrawn_at
    messages = RequestMessage.objects.filter(help_request=help_request).order_by("pk")
    row["messages"] = [(m.kind, m.author_id, len(bytes(m.body or b""))) for m in messages]
    return row


def planned_erasure() -> datetime:
    due = latest_request().shred_due_at
    assert due is not None
    return due


@pytest.mark.parametrize("withdraw_first", [False, True])
def test_it_changes_the_same_clear_columns_for_an_ordinary_and_a_danger_check_in(
    world, withdraw_first
):
    rows = []
    triage = staff_client_with_keys(world, "triage")
    for phrase in (CHECK_IN, DANGER):
        codename, help_request = request_with_phrases()
        if withdraw_first:
            withdrawn(codename)
        check_in(codename, phrase)
        after_check_in = clear_columns(help_request)
        # Opening the request is not acknowledging it: the check-in still waits.
        triage.get(show_url(help_request))
        rows.append((after_check_in, clear_columns(help_request)))

    assert rows[0] == rows[1]
    (ordinary_before, ordinary_read), _danger = rows
    assert ordinary_before["check_in_unacknowledged"] is True
    assert ordinary_read["check_in_unacknowledged"] is True
    assert ordinary_read["unread"] is False


def test_it_keeps_a_danger_check_in_at_the_top_until_a_key_holder_acknowledges_it(world):
    codename, help_request = request_with_phrases()
    check_in(codename, DANGER)
    triage = staff_client_with_keys(world, "triage")

    for _visit in range(2):
        html = triage.get(show_url(help_request)).content.decode()
        assert 'id="danger-check-in"' in html.split('id="story-title"')[0]
    response = triage.post(
        acknowledge_url(help_request),
        {"notice": str(notice_of(help_request).item_id), "note": "Called on Signal, all well."},
    )

    assert response.status_code == 302
    html = triage.get(show_url(help_request)).content.decode()
    assert 'id="danger-check-in"' not in html
    assert "Acknowledged by triage:" in html
    assert "Called on Signal, all well." in html
    assert latest_request().check_in_unacknowledged is False
    event = AuditEvent.objects.get(event_type=EventType.CHECK_IN_ACKNOWLEDGED)
    assert event.actor == world.users["triage"]


def test_it_asks_for_an_acknowledgement_of_an_ordinary_check_in_too(world):
    codename, help_request = request_with_phrases()
    check_in(codename, CHECK_IN)

    html = staff_client_with_keys(world, "triage").get(show_url(help_request)).content.decode()

    assert 'id="check-ins"' in html
    assert 'id="danger-check-in"' not in html
    assert str(notice_of(help_request).item_id) in html


def test_it_refuses_to_acknowledge_twice_or_what_is_no_check_in(world):
    codename, help_request = request_with_phrases()
    check_in(codename, CHECK_IN)
    notice = notice_of(help_request)

    def acknowledge(item_id):
        do_acknowledge_check_in(
            help_request,
            notice_item_id=item_id,
            actor=world.users["triage"],
            private_key=private_key("triage"),
            note="Seen.",
        )

    acknowledge(notice.item_id)
    with pytest.raises(RequestActionRefused, match="acknowledged already"):
        acknowledge(notice.item_id)
    acknowledgement = RequestMessage.objects.get(kind=MessageKind.ACKNOWLEDGEMENT)
    with pytest.raises(RequestActionRefused):
        acknowledge(acknowledgement.item_id)


def test_it_lists_a_read_but_unacknowledged_check_in_as_needing_attention(world):
    from safehaven.intake.choices import RequestStatus
    from safehaven.intake.handling.actions import do_change_request_status

    codename, help_request = request_with_phrases()
    do_change_request_status(
        help_request,
        actor=world.users["triage"],
        private_key=private_key("triage"),
        status=RequestStatus.CLOSED,
    )
    check_in(codename, DANGER)
    triage = staff_client_with_keys(world, "triage")
    triage.get(show_url(help_request))  # read: the "new" flag is gone

    listing = triage.get("/en/staff/requests/").content.decode()

    assert f"/requests/{help_request.pk}/" in listing
    assert "check-in to acknowledge" in listing


def test_it_holds_a_withdrawn_requests_erasure_until_the_check_in_is_acknowledged(world):
    codename, _help_request = request_with_phrases()
    withdrawn(codename)
    planned = planned_erasure()
    check_in(codename, DANGER)
    held = latest_request()

    assert held.shred_due_at == planned + CHECK_IN_ERASURE_HOLD
    assert shred_due_requests(now=planned + timedelta(hours=1)) == 0
    do_acknowledge_check_in(
        held,
        notice_item_id=notice_of(held).item_id,
        actor=world.users["triage"],
        private_key=private_key("triage"),
        note="Told the caseworker.",
    )
    assert latest_request().shred_due_at == planned
    assert shred_due_requests(now=planned + timedelta(hours=1)) == 1


def test_it_erases_at_most_seven_days_late_when_nobody_acknowledges(world):
    codename, _help_request = request_with_phrases()
    withdrawn(codename)
    planned = planned_erasure()
    check_in(codename, CHECK_IN)
    check_in(codename, DANGER)
    latest = planned_erasure()

    assert latest == planned + CHECK_IN_ERASURE_HOLD == latest_request().latest_erasure
    assert shred_due_requests(now=latest - timedelta(minutes=1)) == 0
    assert shred_due_requests(now=latest) == 1


def test_it_tells_the_person_the_same_erasure_day_whatever_they_typed(world):
    codename, _help_request = request_with_phrases()
    withdrawn(codename)
    pages = []
    for phrase in ("", DANGER, ""):
        response = Client().post(STATUS_URL, {"codename": codename, "phrase": phrase})
        pages.append(response.content.decode().split("deleted for good by")[1][:40])
    assert pages[0] == pages[1] == pages[2]


def test_it_shows_partners_no_check_in_and_no_danger_phrase(world, partner_codes):
    codename, help_request = request_with_phrases(referral_code=partner_codes["partner_a"])
    check_in(codename, DANGER)
    partner = staff_client_with_keys(world, "partner_a")

    html = partner.get(show_url(help_request)).content.decode()
    listing = partner.get("/en/staff/referrals/").content.decode()

    assert "DANGER" not in html
    assert "checked in" not in html
    assert 'id="check-ins"' not in html
    assert "danger phrase" not in html.lower()
    assert "new activity" not in listing
    assert "check-in to acknowledge" not in listing


def test_it_tells_partners_nothing_of_a_check_in_on_a_withdrawn_request(world, partner_codes):
    codename, help_request = request_with_phrases(referral_code=partner_codes["partner_a"])
    withdrawn(codename)
    partner = staff_client_with_keys(world, "partner_a")

    def erasure_fact() -> str:
        html = partner.get(show_url(help_request)).content.decode()
        return html.split("The person withdrew consent")[1].split("</dd>")[0]

    before = erasure_fact()
    check_in(codename, DANGER)
    assert erasure_fact() == before


def test_it_puts_the_check_in_flag_right_when_triage_reads_the_request(world):
    codename, checked_in = request_with_phrases()
    check_in(codename, DANGER)
    _codename, quiet = request_with_phrases()
    # Someone with write access to the database hides the one and flags the other.
    HelpRequest.objects.filter(pk=checked_in.pk).update(check_in_unacknowledged=False)
    HelpRequest.objects.filter(pk=quiet.pk).update(check_in_unacknowledged=True)
    triage = staff_client_with_keys(world, "triage")

    for help_request in (checked_in, quiet):
        triage.get(show_url(help_request))

    assert HelpRequest.objects.get(pk=checked_in.pk).check_in_unacknowledged is True
    assert HelpRequest.objects.get(pk=quiet.pk).check_in_unacknowledged is False
