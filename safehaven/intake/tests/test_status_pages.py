"""The requester's status page: neutral status, the thread, writing to us, contact details."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.core.tests.failing_database import failing_on
from safehaven.intake.choices import MessageKind, Notice, RequestStatus
from safehaven.intake.handling.actions import do_change_request_status, do_reply_to_request
from safehaven.intake.models import RequestMessage, StatusSession
from safehaven.intake.tests.helpers import (
    CONTACTS_URL,
    MESSAGE_URL,
    SHOW_STATUS_URL,
    STATUS_URL,
    WITHDRAW_URL,
    latest_request,
    opened_request,
    private_key,
    requester_client,
    submit_request,
    thread_bodies,
)

pytestmark = pytest.mark.django_db
SCRIPT = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_it_shows_only_a_neutral_status(world, requester: Client):
    help_request = latest_request()
    expected = {
        RequestStatus.REVIEWING: "Someone is reading your request.",
        RequestStatus.WILL_CONTACT: "We will contact you in one of the safe ways you gave us.",
        RequestStatus.CLOSED: "Your request is closed.",
    }
    for status, sentence in expected.items():
        do_change_request_status(
            help_request,
            actor=world.users["triage"],
            private_key=private_key("triage"),
            status=status,
        )
        response = requester.get(SHOW_STATUS_URL)
        html = response.content.decode()
        assert sentence in html
        assert "<title>Messages</title>" in html
        assert 'href="/exit"' in html
        assert "no-store" in response["Cache-Control"]


def test_it_shows_a_staff_reply_without_the_staff_name(world, requester: Client):
    help_request = latest_request()
    do_reply_to_request(
        help_request,
        actor=world.users["triage"],
        private_key=private_key("triage"),
        text="We read your message.\nWhen is it safe to call?",
    )
    html = requester.get(SHOW_STATUS_URL).content.decode()
    assert "We read your message.<br>When is it safe to call?" in html
    assert "triage" not in html


def test_it_seals_the_persons_message_to_the_inbox_for_staff(world, requester: Client):
    response = requester.post(MESSAGE_URL, {"body": "Sentinel: I moved to my aunt."})
    assert response.status_code == 302
    assert response["Location"] == SHOW_STATUS_URL + "?done=message"
    assert "sh_status" in response.cookies  # the session lives on
    help_request = latest_request()
    assert thread_bodies(help_request) == [
        (MessageKind.FROM_REQUESTER, "Sentinel: I moved to my aunt.")
    ]
    assert help_request.unread_since is not None
    assert AuditEvent.objects.filter(event_type=EventType.REQUEST_MESSAGE_RECEIVED).count() == 1
    page = requester.get(response["Location"]).content.decode()
    assert "Your message was sent." in page
    assert "Sentinel: I moved to my aunt." in page


def test_it_escapes_html_in_a_message(world, requester: Client):
    requester.post(MESSAGE_URL, {"body": SCRIPT})
    html = requester.get(SHOW_STATUS_URL).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"body": ""}, "Please fill this in."),
        ({"body": "x" * 5001}, "Please shorten this to at most 5000 characters"),
        ({"body": "caf\ufffd"}, "Some characters here could not be read"),
        ({"body": "bell\x07"}, "invisible control characters"),
    ],
)
def test_it_explains_a_message_it_cannot_take(world, requester: Client, body, message):
    response = requester.post(MESSAGE_URL, body)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert thread_bodies(latest_request()) == []


def test_it_explains_bytes_that_are_not_utf8(world, requester: Client):
    response = requester.post(
        MESSAGE_URL, data=b"body=caf%E9+%FF", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "Some characters here could not be read" in response.content.decode()


def test_it_survives_garbage(world, requester: Client):
    for body in (b"\x00\x01", b"%%%&&&===", b"body=" + b"a" * 70_000):
        response = requester.post(
            MESSAGE_URL, data=body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in {200, 400}


def test_it_refuses_a_message_from_another_site(world, requester: Client):
    response = requester.post(
        MESSAGE_URL, {"body": "forged"}, headers={"origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert "This form was sent from another website" in response.content.decode()
    assert thread_bodies(latest_request()) == []


def test_it_changes_the_contact_details(world, requester: Client):
    form = requester.get(CONTACTS_URL).content.decode()
    assert "345-67-89" not in form  # never pre-filled (test_status_contacts.py)
    response = requester.post(
        CONTACTS_URL,
        {"contact_telegram": "@new_safe_name", "may_leave_message": "yes", "contact_times": "am"},
    )
    assert response.status_code == 302
    help_request = opened_request(latest_request())
    assert json.loads(help_request.sealed("contacts") or "") == {"telegram": "@new_safe_name"}
    assert help_request.sealed("contact_times") == "am"
    assert help_request.sealed("may_leave_message") == "yes"
    assert thread_bodies(help_request) == [(MessageKind.NOTICE, Notice.CONTACTS_CHANGED)]
    assert help_request.contact_hints.count() == 1
    assert AuditEvent.objects.filter(event_type=EventType.REQUEST_UPDATED_BY_REQUESTER).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"may_leave_message": "no"}, "Please give at least one safe way to reach you."),
        ({"contact_phone": "call me", "may_leave_message": "no"}, "with its country code"),
        ({"contact_email": SCRIPT, "may_leave_message": "no"}, "Please check this e-mail"),
        ({"contact_signal": "+7 912 345 67 89", "may_leave_message": SCRIPT}, "Please choose"),
    ],
)
def test_it_explains_contact_details_it_cannot_take(world, requester: Client, data, message):
    response = requester.post(CONTACTS_URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<script>alert(1)" not in html


def test_it_ends_the_session_after_15_idle_minutes(world, requester: Client):
    assert requester.get(SHOW_STATUS_URL).status_code == 200
    StatusSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = requester.get(SHOW_STATUS_URL)
    assert response.status_code == 302
    assert response["Location"] == STATUS_URL


def test_it_extends_the_session_with_each_page(world, requester: Client):
    before = StatusSession.objects.get().expires_at
    response = requester.get(SHOW_STATUS_URL)
    assert StatusSession.objects.get().expires_at >= before
    assert response.cookies["sh_status"].value  # the signed cookie's time is renewed


def test_it_needs_both_the_cookie_and_the_row(world, requester: Client):
    cookie = requester.cookies["sh_status"].value
    StatusSession.objects.all().delete()
    assert requester.get(SHOW_STATUS_URL).status_code == 302
    other = requester_client(submit_request())
    other.cookies["sh_status"] = cookie  # a stolen cookie without its row opens nothing
    assert other.get(SHOW_STATUS_URL).status_code == 302


def test_it_leaves_and_forgets_the_session(world, requester: Client):
    response = requester.post("/en/status/request/leave/")
    assert response.status_code == 302
    assert response.cookies["sh_status"]["max-age"] == 0
    assert not StatusSession.objects.exists()
    assert requester.get(SHOW_STATUS_URL).status_code == 302


NEUTRAL_TITLES = {"<title>Messages</title>", "<title>Settings</title>"}


def test_it_gives_every_status_page_a_quick_exit_and_a_neutral_title(world, requester: Client):
    pages = [requester.get(url) for url in (SHOW_STATUS_URL, CONTACTS_URL, WITHDRAW_URL)]
    pages.append(requester.post(WITHDRAW_URL, {"confirm": "on"}))
    pages.append(Client().get(STATUS_URL))
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert 'href="/exit"' in html
        assert any(title in html for title in NEUTRAL_TITLES)
        assert "no-store" in response["Cache-Control"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "<script>" not in html  # scripts only from same-origin files
        assert " style=" not in html


def close_page() -> None:
    StatusSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))


def test_it_keeps_a_message_written_while_the_page_closed_and_sends_it_on_opening(world):
    codename = submit_request()
    requester = requester_client(codename)
    close_page()
    typed = "Long message typed slowly 5e2a: they came to my flat today."
    response = requester.post(MESSAGE_URL, {"body": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert "your message was not sent yet" in html
    assert typed in html  # back in the page, to be sent with the codename
    assert response.cookies["sh_status"]["max-age"] == 0
    assert not RequestMessage.objects.filter(kind=MessageKind.FROM_REQUESTER).exists()

    response = requester.post(STATUS_URL, {"codename": codename, "phrase": "", "body": typed})
    assert response.status_code == 302
    assert response["Location"] == SHOW_STATUS_URL + "?done=message"
    assert thread_bodies(latest_request()) == [(MessageKind.FROM_REQUESTER, typed)]
    assert "Your message was sent." in requester.get(response["Location"]).content.decode()


def test_it_gives_a_kept_message_the_same_page_for_a_wrong_and_an_unknown_codename(world):
    codename = submit_request()
    words = codename.split()
    wrong = " ".join([*words[:-1], "zebra" if words[-1] != "zebra" else "apple"])
    unknown = "apple river stone cloud lamp tree bird"
    pages = [
        Client().post(STATUS_URL, {"codename": tried, "phrase": "", "body": "still here"})
        for tried in (wrong, unknown)
    ]
    assert pages[0].status_code == pages[1].status_code == 200
    assert pages[0].content == pages[1].content
    assert "still here" in pages[0].content.decode()
    assert not RequestMessage.objects.filter(kind=MessageKind.FROM_REQUESTER).exists()


def test_it_tries_no_codename_with_a_kept_message_it_cannot_take(world):
    codename = submit_request()
    response = Client().post(STATUS_URL, {"codename": codename, "phrase": "", "body": " "})
    assert response.status_code == 200
    assert "Please fill this in." in response.content.decode()
    assert "sh_status" not in response.cookies
    assert not StatusSession.objects.exists()


def test_it_says_so_when_the_page_closed_before_other_changes(world, requester: Client):
    close_page()
    response = requester.post(CONTACTS_URL, {"contact_email": "new@example.org"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "so nothing was changed" in html
    assert "new@example.org" not in html
    assert 'name="body"' not in html


def test_it_says_a_kept_message_was_not_sent_to_a_withdrawn_request(world):
    codename = submit_request()
    requester = requester_client(codename)
    assert requester.post(WITHDRAW_URL, {"confirm": "on"}).status_code == 200
    response = Client().post(STATUS_URL, {"codename": codename, "phrase": "", "body": "late"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your request was withdrawn" in html
    assert "Your message was not sent: this request was withdrawn." in html
    assert not RequestMessage.objects.filter(kind=MessageKind.FROM_REQUESTER).exists()


def test_it_records_one_event_for_a_check_in_with_a_kept_message(world):
    codename = submit_request(checkin_phrase="blue teapot")
    response = Client().post(
        STATUS_URL, {"codename": codename, "phrase": "blue teapot", "body": "still here"}
    )
    assert response.status_code == 302
    events = AuditEvent.objects.filter(event_type=EventType.REQUEST_MESSAGE_RECEIVED)
    assert [event.detail for event in events] == ["check-in and message"]
    assert thread_bodies(latest_request()) == [
        (MessageKind.NOTICE, Notice.CHECKED_IN),
        (MessageKind.FROM_REQUESTER, "still here"),
    ]
    assert latest_request().unread_since is not None


def fail_with_the_database(*args, **kwargs):
    from django.db import OperationalError

    raise OperationalError("disk I/O error")


def test_it_gives_a_message_back_when_the_database_fails(world, monkeypatch, caplog):
    from safehaven.intake.status_page import actions as actions_status
    from safehaven.intake.status_page import pages as status_pages

    requester = requester_client(submit_request())
    monkeypatch.setattr(actions_status, "_seal_requester_message", fail_with_the_database)
    # Nor can the thread be read then: the page gives the message back without it.
    monkeypatch.setattr(status_pages, "thread_for_requester", fail_with_the_database)
    typed = "They know where I live 7f3c."
    response = requester.post(MESSAGE_URL, {"body": typed})
    assert response.status_code == 503
    html = response.content.decode()
    assert "could not be done just now" in html
    assert typed in html
    assert "No messages yet" not in html
    assert "do_send_requester_message: the database failed (OperationalError)" in caplog.text
    assert typed not in caplog.text
    assert not RequestMessage.objects.filter(kind=MessageKind.FROM_REQUESTER).exists()


def test_it_gives_a_kept_message_back_when_the_database_fails_on_opening(world, monkeypatch):
    from safehaven.intake.status_page import actions as actions_status

    codename = submit_request()
    monkeypatch.setattr(actions_status, "start_session", fail_with_the_database)
    response = Client().post(STATUS_URL, {"codename": codename, "phrase": "", "body": "kept 9d1"})
    assert response.status_code == 503
    html = response.content.decode()
    assert "could not be done just now" in html
    assert "kept 9d1" in html
    assert "sh_status" not in response.cookies
    assert not RequestMessage.objects.filter(kind=MessageKind.FROM_REQUESTER).exists()


def test_it_keeps_new_contact_details_on_the_page_when_the_database_fails(
    world, requester: Client, monkeypatch
):
    from safehaven.intake.status_page import actions as actions_status

    monkeypatch.setattr(actions_status, "seal_contacts", fail_with_the_database)
    data = {"contact_email": "new-4b2@example.org", "may_leave_message": "no"}
    response = requester.post(CONTACTS_URL, data)
    assert response.status_code == 503
    html = response.content.decode()
    assert "could not be done just now" in html
    assert "new-4b2@example.org" in html


@pytest.mark.parametrize(
    ("url", "data", "kept"),
    [
        (MESSAGE_URL, {"body": "they came back 5e1"}, "they came back 5e1"),
        (
            CONTACTS_URL,
            {"contact_email": "moved-8c3@example.org", "may_leave_message": "no"},
            "moved-8c3@example.org",
        ),
        (WITHDRAW_URL, {"confirm": "on"}, 'name="confirm" required id="id_confirm" checked'),
    ],
)
def test_it_gives_what_was_typed_back_when_the_page_cannot_be_looked_up(
    world, requester: Client, url, data, kept, caplog
):
    with failing_on("intake_statussession"):
        response = requester.post(url, data)
    assert response.status_code == 503
    html = response.content.decode()
    assert "could not be done just now" in html
    assert kept in html
    assert "No messages yet" not in html
    assert not response.cookies, "the page's cookie is left as it was"
    assert "resume_session: the database failed (OperationalError)" in caplog.text
    assert "5e1" not in caplog.text
    assert "8c3" not in caplog.text
    # Nothing changed, and the page opens as before once the database answers again.
    assert not RequestMessage.objects.filter(kind=MessageKind.FROM_REQUESTER).exists()
    assert latest_request().withdrawn_at is None
    assert requester.get(SHOW_STATUS_URL).status_code == 200


def test_it_shows_the_error_page_when_the_page_cannot_be_looked_up_for_reading(
    world, requester: Client
):
    requester.raise_request_exception = False
    with failing_on("intake_statussession"):
        response = requester.get(SHOW_STATUS_URL)
    # Nothing was typed to give back: the site's error page, which repeats nothing.
    assert response.status_code == 500


def test_it_drops_the_cookie_on_leaving_even_when_the_database_fails(world, requester: Client):
    with failing_on("intake_statussession"):
        response = requester.post("/en/status/request/leave/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert response.cookies["sh_status"]["max-age"] == 0
