"""The case page: who may see it, what the viewer's key opens on it, the move form, panels."""

from __future__ import annotations

import pytest
from django.test import Client

from safehaven.cases import panels as panel_registry
from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.models import Case
from safehaven.cases.opening.actions import CallDetails, do_open_case_from_call
from safehaven.cases.panels import CasePanel
from safehaven.cases.tests.helpers import open_case, primary_request
from safehaven.cases.workflow.actions import PERSON_MESSAGES
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import RequestStatus
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys, thread_bodies

pytestmark = pytest.mark.django_db

STORY = "Sentinel-Case-Story-Larkspur"


def url(case: Case, tail: str = "") -> str:
    return f"/en/staff/cases/{case.pk}/{tail}"


def test_it_shows_triage_the_household_state_history_and_moves(world):
    case = open_case(world, situation=STORY, reason="Sentinel-Reason-Tamarisk")
    html = staff_client_with_keys(world, "triage").get(url(case)).content.decode()
    assert STORY in html
    assert "Sentinel-Reason-Tamarisk" in html
    assert 'id="case-state">Screening' in html
    assert f'href="/en/staff/requests/{primary_request(case).pk}/"' in html
    assert 'name="to_state"' in html
    assert 'value="verification"' in html
    # Only the approval moves a case to verified: the form never offers it.
    assert 'value="verified"' not in html
    assert AuditEvent.objects.filter(event_type=EventType.CASE_VIEWED).count() == 1


def test_it_shows_a_phone_call_persons_sealed_details(world):
    details = CallDetails(
        country="RU",
        languages=["ru"],
        summary=STORY,
        region="Sentinel-Region-Cobble",
        citizenships="RU",
        contacts="Signal +7 900",
        risk_score=40,
    )
    case = do_open_case_from_call(details, reason="Called us.", actor=world.users["triage"])
    html = staff_client_with_keys(world, "triage").get(url(case)).content.decode()
    assert STORY in html
    assert "Sentinel-Region-Cobble" in html
    assert "After a phone call" in html


def test_it_gives_an_unassigned_caseworker_404_and_an_assigned_one_the_case(world):
    case = open_case(world, situation=STORY)
    caseworker = staff_client_with_keys(world, "caseworker")
    assert caseworker.get(url(case)).status_code == 404
    do_assign_case(
        case,
        user=world.users["caseworker"],
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    response = caseworker.get(url(case))
    assert response.status_code == 200
    assert STORY in response.content.decode()


@pytest.mark.parametrize("username", ["finance", "advocacy", "partner_a", "interpreter"])
def test_it_refuses_roles_without_cases(world, staff_client, username):
    case = open_case(world)
    assert staff_client(username).get(url(case)).status_code == 403


def test_it_sends_an_anonymous_visitor_to_log_in(world):
    case = open_case(world)
    response = Client().get(url(case))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_404s_a_case_that_does_not_exist(world, staff_client):
    assert staff_client("triage").get("/en/staff/cases/999999/").status_code == 404


def test_it_says_so_and_shows_only_clear_fields_without_an_unlocked_key(world, staff_client):
    case = open_case(world, situation=STORY, reason="Sentinel-Reason-Tamarisk")
    html = staff_client("triage").get(url(case)).content.decode()
    assert 'id="problem"' in html
    assert "not unlocked" in html
    assert STORY not in html
    assert "Sentinel-Reason-Tamarisk" not in html
    assert 'id="case-state">Screening' in html


def test_it_moves_the_case_from_the_page(world):
    case = open_case(world)
    client = staff_client_with_keys(world, "triage")
    response = client.post(
        url(case, "move/"), {"to_state": "verification", "reason": "Ready to check."}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.VERIFICATION
    assert primary_request(case).status == RequestStatus.WILL_CONTACT
    assert "Ready to check." in client.get(url(case)).content.decode()


def test_it_keeps_what_was_typed_and_says_what_is_missing(world):
    case = open_case(world)
    client = staff_client_with_keys(world, "triage")
    response = client.post(
        url(case, "move/"), {"to_state": "closed", "reason": "Sentinel-Typed-Reason"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please choose one of the options shown." in html
    assert "Sentinel-Typed-Reason" in html
    response = client.post(url(case, "move/"), {"to_state": "verification", "reason": ""})
    assert "Please fill this in." in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.SCREENING


def test_it_puts_a_refusal_of_the_action_on_the_form(world):
    case = open_case(world)
    Case.objects.filter(pk=case.pk).update(state=CaseState.ARRIVED)
    client = staff_client_with_keys(world, "triage")
    response = client.post(
        url(case, "move/"),
        {"to_state": "closed", "outcome": "", "reason": "Sentinel-Typed-Reason"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "closes from “Arrived” with one of: Relocated" in html
    assert "Sentinel-Typed-Reason" in html


def test_it_refuses_a_move_to_a_role_without_cases(world, staff_client):
    case = open_case(world)
    response = staff_client("finance").post(
        url(case, "move/"), {"to_state": "verification", "reason": "x"}
    )
    assert response.status_code == 403


@pytest.fixture
def panels(monkeypatch):
    registered: dict[str, CasePanel] = dict(panel_registry._PANELS)
    monkeypatch.setattr(panel_registry, "_PANELS", registered)
    return registered


def test_it_shows_every_panel_that_has_something_to_show(world, panels, tmp_path, settings):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "panel_test.html").write_text('<p id="test-panel">{{ words }}</p>')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    panels["test-shown"] = CasePanel(
        "test-shown", "cases/panel_test.html", lambda r, c: {"words": "shown here"}
    )
    panels["test-hidden"] = CasePanel("test-hidden", "cases/panel_test.html", lambda r, c: None)
    case = open_case(world)
    html = staff_client_with_keys(world, "triage").get(url(case)).content.decode()
    assert html.count('id="test-panel"') == 1
    assert "shown here" in html


def broken_panel(request, case):
    raise RuntimeError("a broken panel")


def test_it_lets_a_broken_panel_raise_in_tests_and_not_break_the_page_otherwise(
    world, panels, settings
):
    panels["test-broken"] = CasePanel("test-broken", "cases/panel_test.html", broken_panel)
    case = open_case(world, situation=STORY)
    client = staff_client_with_keys(world, "triage")
    with pytest.raises(RuntimeError, match="a broken panel"):
        client.get(url(case))
    settings.MODE = "production"
    response = client.get(url(case))
    assert response.status_code == 200
    assert STORY in response.content.decode()


def test_it_sends_the_fixed_message_when_asked_on_the_form(world):
    case = open_case(world)
    client = staff_client_with_keys(world, "triage")
    response = client.post(
        url(case, "move/"),
        {"to_state": "waitlisted", "reason": "No places.", "tell_the_person": "on"},
    )
    assert response.status_code == 302
    [(kind, body)] = thread_bodies(primary_request(case))
    assert (kind, body) == ("staff", str(PERSON_MESSAGES[CaseState.WAITLISTED]))
