"""A person opens the codename form with a one-time code, chooses their codename, and their
status page opens with it; the code is dead afterwards."""

from datetime import timedelta

import pytest
from django.test import Client

from safehaven.accounts.models import User
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.codename import codename_lookup_hash, new_codename
from safehaven.intake.handling.actions import do_reply_to_request
from safehaven.intake.models import HelpRequest, StatusSession
from safehaven.intake.requester_events import requester_events
from safehaven.intake.status_codes import actions as status_code_actions
from safehaven.intake.tests.helpers import (
    SHOW_STATUS_URL,
    comparable,
    open_status,
    opened_record,
    private_key,
    requester_client,
)
from safehaven.intake.tests.status_code_helpers import (
    CHOOSE_URL,
    choose,
    is_refused_like_a_miss,
    issue_code,
    offered,
    open_choose_step,
    referral_without_codename,
)

pytestmark = pytest.mark.django_db
REPLY = "Sentinel-Reply-Before-The-Codename"
KNOWN_AS = "Sentinel-Known-As-Lirrow"


def a_referral_with_a_reply(world) -> HelpRequest:
    help_request = referral_without_codename(situation=f"I am {KNOWN_AS}, please help.")
    do_reply_to_request(
        help_request,
        actor=User.objects.get(username="triage"),
        private_key=private_key("triage"),
        text=REPLY,
    )
    return help_request


def test_it_opens_the_status_page_with_the_chosen_codename_and_its_thread(world):
    help_request = a_referral_with_a_reply(world)
    code = issue_code(help_request)
    client = open_choose_step(code)
    codename, response = choose(client)
    assert response.status_code == 302
    assert response["Location"] == SHOW_STATUS_URL
    assert "sh_status" in response.cookies
    assert response.cookies["sh_choose"].value == ""  # the step's cookie is dropped
    page = client.get(SHOW_STATUS_URL)
    assert page.status_code == 200
    assert REPLY in page.content.decode()
    help_request.refresh_from_db()
    assert help_request.codename_hash == codename_lookup_hash(codename).hex()
    assert help_request.status_code_expires_at is None
    # Later, in another browser: the chosen codename opens the page and the thread.
    assert REPLY in requester_client(codename).get(SHOW_STATUS_URL).content.decode()


def test_the_code_opens_only_the_choose_step_which_shows_nothing_of_the_request(world):
    help_request = a_referral_with_a_reply(world)
    code = issue_code(help_request)
    client = Client()
    response = open_status(client, code)
    assert response["Location"] == CHOOSE_URL
    assert list(response.cookies) == ["sh_choose"]
    assert response.cookies["sh_choose"]["path"] == CHOOSE_URL
    assert response.cookies["sh_choose"]["httponly"]
    assert response.cookies["sh_choose"]["samesite"] == "Strict"
    for word in code.split():
        assert word not in response.cookies["sh_choose"].value
    # The status page stays closed to the step's browser.
    assert client.get(SHOW_STATUS_URL)["Location"] == "/en/status/"
    page = client.get(CHOOSE_URL).content.decode()
    assert REPLY not in page
    assert KNOWN_AS not in page
    for word in code.split():
        assert f"<li>{word}</li>" not in page


def test_the_code_is_refused_like_a_miss_once_the_codename_is_chosen(world, settings):
    help_request = referral_without_codename()
    code = issue_code(help_request)
    choose(open_choose_step(code))
    unknown = new_codename()
    assert comparable(open_status(Client(), code)) == comparable(open_status(Client(), unknown))
    assert is_refused_like_a_miss(Client(), code)


def test_an_expired_code_is_refused_like_any_miss_and_counted(world, settings, monkeypatch):
    help_request = referral_without_codename()
    monkeypatch.setattr(status_code_actions, "STATUS_CODE_VALID", timedelta(seconds=-5))
    code = issue_code(help_request)
    unknown = new_codename()
    assert comparable(open_status(Client(), code)) == comparable(open_status(Client(), unknown))
    assert not StatusSession.objects.exists()
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "codename": (1, 600)}
    from safehaven.intake.rate_budgets import LIMITER

    LIMITER.clear()
    assert open_status(Client(), code).status_code == 200  # the first miss
    assert open_status(Client(), code).status_code == 429  # counted: over the budget


def test_it_records_the_choice_as_the_requesters_own_event(world):
    help_request = referral_without_codename()
    choose(open_choose_step(issue_code(help_request)))
    events = requester_events(help_request, opened_record(help_request))
    assert [event.event_type for event in events] == [
        EventType.REQUEST_RECEIVED,
        EventType.CODENAME_CHOSEN,
    ]
    chosen = AuditEvent.objects.get(event_type=EventType.CODENAME_CHOSEN)
    assert chosen.actor is None
    assert chosen.target_ref != str(help_request.record_id)
    assert chosen.detail == ""


def test_another_codename_is_offered_on_each_visit_and_kept_when_the_box_is_not_ticked(world):
    client = open_choose_step(issue_code(referral_without_codename()))
    first, tag = offered(client.get(CHOOSE_URL).content.decode())
    second, _tag = offered(client.get(CHOOSE_URL).content.decode())
    assert first != second
    response = client.post(CHOOSE_URL, {"codename": first, "offer": tag})
    assert response.status_code == 200
    assert "Please write the words down first" in response.content.decode()
    assert offered(response.content.decode())[0] == first


def test_it_refuses_a_codename_the_page_did_not_offer(world):
    help_request = referral_without_codename()
    client = open_choose_step(issue_code(help_request))
    _codename, tag = offered(client.get(CHOOSE_URL).content.decode())
    weak = "apple apple apple apple apple apple apple"
    response = client.post(CHOOSE_URL, {"codename": weak, "offer": tag, "written_down": "on"})
    assert response.status_code == 200
    assert "This page was out of date" in response.content.decode()
    assert offered(response.content.decode())[0] != weak
    help_request.refresh_from_db()
    assert help_request.codename_hash != codename_lookup_hash(weak).hex()
    assert help_request.status_code_expires_at is not None


def test_a_tag_from_another_step_is_refused(world):
    code = issue_code(referral_without_codename())
    one, other = open_choose_step(code), open_choose_step(code)
    codename, tag = offered(one.get(CHOOSE_URL).content.decode())
    response = other.post(CHOOSE_URL, {"codename": codename, "offer": tag, "written_down": "on"})
    assert "This page was out of date" in response.content.decode()


def test_issuing_again_closes_a_step_the_old_code_opened(world):
    help_request = referral_without_codename()
    client = open_choose_step(issue_code(help_request))
    issue_code(help_request)
    assert client.get(CHOOSE_URL)["Location"] == "/en/status/"


def test_choosing_ends_every_other_step_of_the_code(world):
    """A coercer who opened the step with a leaked code loses it once the person chose."""
    help_request = referral_without_codename()
    code = issue_code(help_request)
    coercer = open_choose_step(code)
    codename, tag = offered(coercer.get(CHOOSE_URL).content.decode())
    choose(open_choose_step(code))
    response = coercer.post(CHOOSE_URL, {"codename": codename, "offer": tag, "written_down": "on"})
    assert response.status_code == 302
    assert response["Location"] == "/en/status/"
    help_request.refresh_from_db()
    assert help_request.codename_hash != codename_lookup_hash(codename).hex()


def test_the_step_without_its_cookie_sends_back_to_the_codename_form(world):
    for method in ("get", "post"):
        response = getattr(Client(), method)(CHOOSE_URL)
        assert response.status_code == 302
        assert response["Location"] == "/en/status/"


def test_the_step_opens_in_the_language_the_code_was_typed_in(world):
    code = issue_code(referral_without_codename())
    client = Client()
    response = client.post("/ru/status/", {"codename": code, "phrase": ""})
    assert response["Location"] == "/ru/status/choose/"
    assert response.cookies["sh_choose"]["path"] == "/ru/status/choose/"
    page = client.get("/ru/status/choose/")
    assert page.status_code == 200
    assert 'lang="ru"' in page.content.decode()
    codename, tag = offered(page.content.decode())
    chosen = client.post(
        "/ru/status/choose/", {"codename": codename, "offer": tag, "written_down": "on"}
    )
    assert chosen["Location"] == "/ru/status/request/"


def test_it_offers_a_codename_with_a_hyphenated_word_like_any_other():
    # "drop-down" is one word of the list; normalised it is two ("drop down").
    codename = "drop-down anime renewed good hardly drippy atrophy"
    assert status_code_actions.is_offerable_codename(codename)
    assert not status_code_actions.is_offerable_codename(
        "drop-down anime renewed good hardly drippy qwertyuiop"
    )
