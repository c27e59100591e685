"""A check-in on a request that is closed or withdrawn (not erased yet) still reaches triage:
a withdrawal may have been forced, and a danger check-in must not go unseen before the
erasure. The person's page shows nothing of it."""

import pytest
from django.test import Client

from safehaven.intake.choices import MessageKind, Notice, RequestStatus
from safehaven.intake.handling.actions import do_change_request_status
from safehaven.intake.models import HelpRequest, RequestMessage
from safehaven.intake.tests.helpers import (
    STATUS_URL,
    WITHDRAW_URL,
    comparable,
    latest_request,
    private_key,
    requester_client,
    staff_client_with_keys,
    submit_request,
    thread_bodies,
)

pytestmark = pytest.mark.django_db
LIST_URL = "/en/staff/requests/"
DANGER = "red lantern harbour"


def open_with(codename: str, phrase: str):
    return Client().post(STATUS_URL, {"codename": codename, "phrase": phrase})


def withdrawn_request() -> str:
    codename = submit_request(checkin_phrase="blue river morning", duress_phrase=DANGER)
    withdrawn = requester_client(codename).post(WITHDRAW_URL, {"confirm": "on"})
    assert withdrawn.status_code == 200
    return codename


def test_it_passes_a_danger_check_in_on_a_withdrawn_request_to_staff(world):
    codename = withdrawn_request()

    plain, danger = open_with(codename, ""), open_with(codename, DANGER)

    # The same page either way, and no session: the request stays withdrawn.
    assert comparable(plain) == comparable(danger)
    assert "Your request was withdrawn" in danger.content.decode()
    assert not danger.cookies
    help_request = latest_request()
    assert thread_bodies(help_request) == [(MessageKind.NOTICE, Notice.DANGER)]
    assert help_request.unread_since is not None
    assert help_request.status == RequestStatus.WITHDRAWN


def test_it_lists_a_closed_or_withdrawn_request_with_news_in_the_inbox(world):
    withdrawn_request()
    quiet = latest_request().pk
    checked_in = withdrawn_request()
    checked_in_pk = latest_request().pk
    closed = submit_request(checkin_phrase="blue river morning", duress_phrase=DANGER)
    closed_pk = latest_request().pk
    do_change_request_status(
        latest_request(),
        actor=world.users["triage"],
        private_key=private_key("triage"),
        status=RequestStatus.CLOSED,
    )
    inbox = staff_client_with_keys(world, "triage")

    def listed() -> set[int]:
        html = inbox.get(LIST_URL).content.decode()
        return {pk for pk in (quiet, checked_in_pk, closed_pk) if f"/requests/{pk}/" in html}

    assert listed() == set()
    open_with(checked_in, DANGER)
    open_with(closed, DANGER)
    assert listed() == {checked_in_pk, closed_pk}


def test_it_shows_a_danger_check_in_at_the_top_of_the_request_for_every_reader(world):
    codename = submit_request(checkin_phrase="blue river morning", duress_phrase=DANGER)
    open_with(codename, DANGER)
    page_url = f"/en/staff/requests/{latest_request().pk}/"

    first = staff_client_with_keys(world, "triage").get(page_url).content.decode()
    # The first reader cleared the "new" flag; the next one must still see it at once.
    second = staff_client_with_keys(world, "supervisor").get(page_url).content.decode()

    for html in (first, second):
        top = html.split('id="story-title"')[0]
        assert 'id="danger-check-in"' in top
        assert "DANGER: the person opened their status page with their danger phrase" in top
    assert latest_request().unread_since is None


def test_it_shows_no_danger_banner_for_a_check_in(world):
    codename = submit_request(checkin_phrase="blue river morning", duress_phrase=DANGER)
    open_with(codename, "blue river morning")
    html = staff_client_with_keys(world, "triage").get(f"/en/staff/requests/{latest_request().pk}/")
    assert 'id="danger-check-in"' not in html.content.decode()


def test_it_writes_nothing_to_a_request_erased_while_it_was_opened(world, monkeypatch):
    from safehaven.intake.erasure.actions import do_shred_help_request
    from safehaven.intake.status_page import actions as actions_status

    codename = withdrawn_request()
    real_match = actions_status.match_phrase

    def erased_meanwhile(help_request, phrase):
        do_shred_help_request(HelpRequest.objects.get(pk=help_request.pk), actor=None)
        return real_match(help_request, phrase)

    monkeypatch.setattr(actions_status, "match_phrase", erased_meanwhile)
    response = open_with(codename, DANGER)

    assert response.status_code == 200
    assert not RequestMessage.objects.exists()
    assert latest_request().unread_since is None
