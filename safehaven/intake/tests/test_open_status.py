"""Opening the status page with a codename: no cookie before, no oracle, rate limited."""

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import MessageKind, Notice
from safehaven.intake.erasure.actions import do_shred_help_request
from safehaven.intake.models import HelpRequest, RequestMessage, StatusSession
from safehaven.intake.tests.helpers import (
    SHOW_STATUS_URL,
    STATUS_URL,
    comparable,
    latest_request,
    open_status,
    requester_client,
    submit_request,
    thread_bodies,
)

pytestmark = pytest.mark.django_db
SCRIPT = '"><script>alert(1)</script>'
FORM_ENCODED = "application/x-www-form-urlencoded"


def test_it_shows_the_codename_form_without_a_cookie(client: Client):
    response = client.get(STATUS_URL)
    assert response.status_code == 200
    assert not response.cookies
    html = response.content.decode()
    assert "<title>Messages</title>" in html
    assert 'href="/exit"' in html
    assert 'name="codename"' in html
    assert "csrfmiddlewaretoken" not in html
    assert "no-store" in response["Cache-Control"]


def test_it_opens_a_short_session_with_a_cookie_only_after_the_codename(world, client: Client):
    codename = submit_request()
    response = open_status(client, codename.upper().replace(" ", " - "))
    assert response.status_code == 302
    assert response["Location"] == SHOW_STATUS_URL
    assert list(response.cookies) == ["sh_status"]
    cookie = response.cookies["sh_status"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == STATUS_URL
    assert not cookie["max-age"]  # gone when the browser closes
    assert not cookie["expires"]
    for word in codename.split():
        assert word not in cookie.value
    session = StatusSession.objects.get()
    assert session.help_request == latest_request()
    assert codename.split()[0].encode() not in bytes(session.sealed_data_key)
    page = client.get(SHOW_STATUS_URL)
    assert page.status_code == 200
    assert "We have received your request." in page.content.decode()


def test_it_gives_a_wrong_and_an_unknown_codename_the_same_answer(world, client: Client):
    codename = submit_request()
    shredded_codename = submit_request()
    shredded = latest_request()
    shredded.withdrawn_at = shredded.shred_due_at = timezone.now()
    shredded.save()
    do_shred_help_request(shredded, actor=None)
    words = codename.split()
    wrong = " ".join([*words[:-1], "zebra" if words[-1] != "zebra" else "apple"])
    unknown = "apple banana cherry delta eagle falcon grape"
    answers = [comparable(open_status(Client(), text)) for text in (wrong, unknown)]
    answers.append(comparable(open_status(Client(), shredded_codename)))
    assert answers[0] == answers[1] == answers[2]
    status, headers, cookies, body = answers[0]
    assert status == 200
    assert "Set-Cookie" not in dict(headers)
    assert not cookies
    assert b"These words do not open a request." in body
    assert b"zebra" not in body  # nothing typed is echoed
    assert b"banana" not in body
    assert not client.cookies


def test_it_limits_codename_misses_per_address(world, settings, client: Client):
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "codename": (2, 900)}
    submit_request()
    unknown = "apple banana cherry delta eagle falcon grape"
    for _attempt in range(2):
        assert open_status(client, unknown).status_code == 200
    refused = open_status(client, unknown)
    assert refused.status_code == 429
    assert "Many codenames have been tried" in refused.content.decode()
    assert not refused.cookies
    assert open_status(Client(REMOTE_ADDR="203.0.113.5"), unknown).status_code == 200


def test_it_always_lets_the_right_codename_through(world, settings, client: Client):
    # Everyone behind one carrier NAT or Tor shares an address: whoever spends its budget of
    # misses must not keep a person from checking in.
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "codename": (2, 900)}
    codename = submit_request(checkin_phrase="blue teapot", duress_phrase="green umbrella")
    unknown = "apple banana cherry delta eagle falcon grape"
    for _attempt in range(3):
        open_status(Client(), unknown)
    assert open_status(Client(), unknown).status_code == 429
    opened = open_status(Client(), codename, phrase="green umbrella")
    assert opened.status_code == 302
    assert opened["Location"] == SHOW_STATUS_URL
    notices = RequestMessage.objects.filter(kind=MessageKind.NOTICE)
    assert notices.count() == 1
    assert open_status(Client(), unknown).status_code == 429  # misses stay refused


def test_it_counts_no_opening_against_the_address(world, settings, client: Client):
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "codename": (2, 900)}
    codename = submit_request()
    for _attempt in range(4):
        assert open_status(Client(), codename).status_code == 302
    unknown = "apple banana cherry delta eagle falcon grape"
    assert open_status(client, unknown).status_code == 200


def test_it_looks_a_miss_up_alike_within_and_over_the_budget(world, settings, monkeypatch):
    # Over the budget a miss still takes the steps of a hit (lookup, key derivation,
    # decryption), so that neither its time nor its answer depends on what exists.
    import safehaven.intake.status_page.actions as actions_status

    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "codename": (1, 900)}
    submit_request()
    derived: list[object] = []
    real_key = actions_status.codename_key

    def counted_key(*args: Any) -> bytes:
        derived.append(args)
        return real_key(*args)

    monkeypatch.setattr(actions_status, "codename_key", counted_key)
    unknown = "apple banana cherry delta eagle falcon grape"
    assert open_status(Client(), unknown).status_code == 200
    assert open_status(Client(), unknown).status_code == 429
    assert len(derived) == 2


def test_it_explains_a_codename_that_is_too_short(client: Client):
    response = open_status(client, "apple banana")
    assert response.status_code == 200
    assert "A codename has seven words." in response.content.decode()
    assert not response.cookies


def test_it_records_a_check_in_and_a_danger_check_in_alike(world):
    codename = submit_request(checkin_phrase="blue teapot", duress_phrase="green umbrella")
    help_request = latest_request()
    first = open_status(Client(), codename, phrase="Blue  Teapot")
    second = open_status(Client(), codename, phrase="green umbrella")
    third = open_status(Client(), codename, phrase="something else")
    fourth = open_status(Client(), codename)
    # The same answer, headers and cookie for a check-in, a danger one, a wrong and no phrase.
    assert comparable(first) == comparable(second) == comparable(third) == comparable(fourth)
    assert first.status_code == 302
    cookies = [
        {key: value for key, value in response.cookies["sh_status"].items() if value}
        for response in (first, second, third, fourth)
    ]
    assert cookies[0] == cookies[1] == cookies[2] == cookies[3]
    events = AuditEvent.objects.filter(event_type=EventType.REQUEST_MESSAGE_RECEIVED)
    assert [event.detail for event in events] == ["check-in", "check-in"]
    assert thread_bodies(help_request) == [
        (MessageKind.NOTICE, Notice.CHECKED_IN),
        (MessageKind.NOTICE, Notice.DANGER),
    ]
    # The person's page shows nothing of it.
    client = Client()
    open_status(client, codename, phrase="green umbrella")
    page = client.get(SHOW_STATUS_URL).content.decode()
    assert "DANGER" not in page
    assert "check" not in page.lower()


def test_it_refuses_a_post_from_another_site(world, client: Client):
    codename = submit_request()
    response = open_status(client, codename, sec_fetch_site="cross-site")
    assert response.status_code == 403
    assert "This form was sent from another website" in response.content.decode()
    assert not response.cookies


def test_it_goes_back_to_the_codename_form_without_a_session(client: Client):
    response = client.get(SHOW_STATUS_URL)
    assert response.status_code == 302
    assert response["Location"] == STATUS_URL
    assert not response.cookies
    client.cookies["sh_status"] = "forged.value:signature"
    stale = client.get(SHOW_STATUS_URL)
    assert stale.status_code == 302
    assert stale.cookies["sh_status"]["max-age"] == 0


@pytest.mark.parametrize(
    ("codename", "message"),
    [
        ("word " * 60, "Please shorten this to at most 200 characters"),
        ("apple\x00banana cherry delta eagle falcon grape", "invisible control characters"),
        ("apple \ufffd cherry delta eagle falcon grape", "Some characters here could not be read"),
        (SCRIPT, "A codename has seven words."),
    ],
)
def test_it_explains_a_codename_it_cannot_read(client: Client, codename: str, message: str):
    response = open_status(client, codename)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<script>alert(1)" not in html
    assert not response.cookies


def test_it_survives_bytes_that_are_not_utf8_on_the_codename_form(client: Client):
    for body in (b"codename=caf%E9+%FF", b"\x00\x01", b"codename=%%%&&=="):
        response = client.post(STATUS_URL, data=body, content_type=FORM_ENCODED)
        assert response.status_code in {200, 400}
        assert not response.cookies


def test_it_marks_the_cookie_secure_in_production(world, settings, client: Client):
    settings.SESSION_COOKIE_SECURE = True
    response = open_status(client, submit_request(), secure=True)
    assert list(response.cookies) == ["__Secure-sh_status"]
    assert response.cookies["__Secure-sh_status"]["secure"]


def test_it_seals_every_notice_to_one_length(world):
    codename = submit_request(checkin_phrase="blue teapot", duress_phrase="green umbrella")
    open_status(Client(), codename, phrase="blue teapot")
    open_status(Client(), codename, phrase="green umbrella")
    changed = requester_client(codename).post(
        "/en/status/request/contacts/",
        {"contact_signal": "+7 999 000-11-22", "may_leave_message": "no"},
    )
    assert changed.status_code == 302
    sealed = RequestMessage.objects.filter(kind=MessageKind.NOTICE).values_list("body", flat=True)
    # A copy of the database must not tell a danger check-in from the other notices.
    assert len({len(bytes(body)) for body in sealed}) == 1
    assert len(sealed) == 3


def test_it_marks_a_check_in_unread_even_if_triage_just_read_the_request(world, monkeypatch):
    from safehaven.intake.status_page import actions as actions_status

    codename = submit_request(checkin_phrase="blue teapot")
    HelpRequest.objects.update(unread_since=timezone.now())  # something new already
    real_match = actions_status.match_phrase

    def triage_reads_meanwhile(help_request, phrase):
        # Triage opens the request (clearing the flag) after this opening loaded it.
        HelpRequest.objects.update(unread_since=None)
        return real_match(help_request, phrase)

    monkeypatch.setattr(actions_status, "match_phrase", triage_reads_meanwhile)
    assert open_status(Client(), codename, phrase="blue teapot").status_code == 302
    assert latest_request().unread_since is not None
