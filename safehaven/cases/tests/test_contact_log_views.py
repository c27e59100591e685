"""The contact and support log's posts and its panel on the case page: who may post, who sees
the panel (only those whose own key opens the case's casework), and what a refusal shows."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from safehaven.accounts.models import User
from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.contact_log.models import CaseNote, ContactAttempt, SupportSession
from safehaven.cases.contact_log.panels import contact_log_panel
from safehaven.cases.models import Case
from safehaven.cases.panels import case_panels
from safehaven.cases.tests.helpers import open_case
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NOTE = "Sentinel-Contact-Quillmoor"


def url(case, what):
    return f"/en/staff/cases/{case.pk}/{what}/"


def assign(world, case, username="caseworker"):
    do_assign_case(
        case,
        user=world.users[username],
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )


def attempt_post(**overrides):
    return {
        "channel": "whatsapp",
        "outcome": "wrong_person",
        "next_try_on": (TODAY + datetime.timedelta(days=2)).isoformat(),
        "note": NOTE,
    } | overrides


def test_it_logs_an_attempt_from_the_panel_and_goes_back_to_the_case(world):
    case = open_case(world)
    assign(world, case)
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(url(case, "contact-attempts"), attempt_post())
    assert response.status_code == 302
    assert response["Location"] == f"/en/staff/cases/{case.pk}/"
    attempt = ContactAttempt.objects.get()
    assert (attempt.outcome, attempt.actor_id) == ("wrong_person", world.users["caseworker"].pk)


def test_it_shows_the_form_again_with_the_refusal_and_what_was_typed(world):
    case = open_case(world)
    client = staff_client_with_keys(world, "triage")
    past = (TODAY - datetime.timedelta(days=1)).isoformat()
    response = client.post(url(case, "contact-attempts"), attempt_post(next_try_on=past))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The next try cannot be in the past." in page
    assert NOTE in page
    assert not ContactAttempt.objects.exists()


def test_it_refuses_a_referral_without_consent_from_the_panel(world):
    case = open_case(world)
    client = staff_client_with_keys(world, "triage")
    post = {"kind": "medical_referral", "consent": "", "held_on": TODAY.isoformat(), "note": ""}
    response = client.post(url(case, "support-sessions"), post)
    assert "A referral needs the person&#x27;s agreement to it" in response.content.decode()
    assert not SupportSession.objects.exists()
    response = client.post(url(case, "support-sessions"), post | {"consent": "referral"})
    assert response.status_code == 302
    assert SupportSession.objects.get().consent_kind == "referral"


def test_it_adds_a_note_to_a_closed_case_but_logs_no_attempt_on_it(world):
    case = open_case(world)
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    client = staff_client_with_keys(world, "supervisor")
    response = client.post(url(case, "contact-attempts"), attempt_post())
    assert "This case is closed" in response.content.decode()
    assert client.post(url(case, "notes"), {"body": NOTE}).status_code == 302
    assert CaseNote.objects.count() == 1


@pytest.mark.parametrize(
    ("username", "status"),
    [("caseworker", 404), ("partner_a", 403), ("interpreter", 403), ("finance", 403)],
)
def test_it_refuses_posts_from_those_not_on_the_case(world, staff_client, username, status):
    case = open_case(world)  # not assigned to the caseworker
    client = staff_client(username)
    for what, post in [
        ("contact-attempts", attempt_post()),
        ("support-sessions", {"kind": "other", "held_on": TODAY.isoformat()}),
        ("notes", {"body": NOTE}),
    ]:
        assert client.post(url(case, what), post).status_code == status
    assert not ContactAttempt.objects.exists()
    assert not CaseNote.objects.exists()


def panel_for(world, username, case, client=None):
    """The panel's context as the case page would ask for it, with the user's keys unlocked
    (a code is good for one login only: pass the client of a user already logged in)."""
    client = client or staff_client_with_keys(world, username)
    request = RequestFactory().get(f"/en/staff/cases/{case.pk}/")
    request.user = User.objects.get(username=username)
    request.session = SessionStore(session_key=client.session.session_key)
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    return request, contact_log_panel(request, case)


def test_it_registers_the_panel_with_the_case_page():
    assert "contact-log" in {panel.name for panel in case_panels()}


def test_it_shows_the_panel_only_to_those_whose_key_opens_casework(world):
    case = open_case(world)
    assign(world, case)
    clients = {"caseworker": staff_client_with_keys(world, "caseworker")}
    clients["caseworker"].post(url(case, "contact-attempts"), attempt_post())
    for username in ("triage", "supervisor", "caseworker"):
        request, context = panel_for(world, username, case, clients.get(username))
        assert context is not None, username
        html = render_to_string("cases/panel_contact_log.html", context, request=request)
        assert NOTE in html, username
        assert "Wrong person answered" in html
        assert 'id="contact-caution"' in html  # the next caseworker is warned
    for username in ("partner_a", "interpreter", "finance", "admin"):
        assert panel_for(world, username, case)[1] is None, username


def test_it_hides_the_panel_from_a_caseworker_not_given_the_case(world):
    case = open_case(world)
    assert panel_for(world, "caseworker", case)[1] is None


def test_it_marks_an_overdue_try_and_offers_no_attempt_form_on_a_closed_case(world):
    case = open_case(world)
    client = staff_client_with_keys(world, "triage")
    client.post(url(case, "contact-attempts"), attempt_post(outcome="no_answer"))
    ContactAttempt.objects.update(next_try_on=TODAY - datetime.timedelta(days=3))
    request, context = panel_for(world, "triage", case, client)
    html = render_to_string("cases/panel_contact_log.html", context, request=request)
    assert "(overdue)" in html
    assert 'id="contact-caution"' not in html
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    case.refresh_from_db()
    request, context = panel_for(world, "triage", case, client)
    html = render_to_string("cases/panel_contact_log.html", context, request=request)
    assert "(overdue)" not in html
    assert url(case, "contact-attempts") not in html
    assert url(case, "notes") in html


def test_it_shows_the_log_on_the_case_page_to_its_caseworker(world):
    case = open_case(world)
    assign(world, case)
    client = staff_client_with_keys(world, "caseworker")
    client.post(url(case, "notes"), {"body": NOTE})
    page = client.get(f"/en/staff/cases/{case.pk}/").content.decode()
    assert 'id="contact-log"' in page
    assert NOTE in page
