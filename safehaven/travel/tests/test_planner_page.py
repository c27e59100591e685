"""The planner's page for a case (GET): who may open it, in which states, and the form filled
from the case (its request, what was typed after a call, the travel documents recorded). The
answer to a POST is in test_planner_results.py."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safehaven.accounts.tests.duress_logins import DURESS, log_in
from safehaven.cases.choices import CaseState
from safehaven.cases.tests.helpers import open_case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys
from safehaven.keys.actions.duress import do_set_duress_password
from safehaven.travel.choices import TravelDocumentKind
from safehaven.travel.documents.actions import do_add_travel_document
from safehaven.travel.routes.plan import Traveller
from safehaven.travel.tests.helpers import (
    QUESTION,
    call_case,
    planner_url,
    replace_search,
    selected,
    verified,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(monkeypatch) -> list[Traveller]:
    """The search replaced by a hand-made plan; what it was asked is kept."""
    return replace_search(monkeypatch)


def test_it_fills_the_form_from_a_request_opened_case(world):
    case = verified(open_case(world, place_region="RU-CE", citizenships=["RU", "AM"]))
    client = staff_client_with_keys(world, "triage")
    response = client.get(planner_url(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert selected(html, "origin_country") == {"RU"}
    assert selected(html, "origin_region") == {"RU-CE"}
    assert selected(html, "citizenships") == {"RU", "AM"}
    # A citizenship is only a hint: no passport is ticked for the person.
    assert selected(html, "passports") == set()
    assert "Which passports are held and valid is not recorded" in html
    assert AuditEvent.objects.filter(event_type=EventType.CASE_VIEWED).exists()
    assert AuditEvent.objects.filter(event_type=EventType.REQUEST_VIEWED).exists()


def test_it_ticks_the_passports_and_visas_recorded_and_valid_today(world):
    case = verified(call_case(world))
    for kind, issuing, destination in [
        (TravelDocumentKind.PASSPORT, "GE", ""),
        (TravelDocumentKind.VISA, "", "DE"),
    ]:
        do_add_travel_document(
            case,
            person=None,
            kind=kind,
            issuing_country=issuing,
            for_country=destination,
            number="Sentinel-Number-123",
            valid_until=timezone.localdate() + datetime.timedelta(days=400),
            actor=world.users["triage"],
            private_key=private_key("triage"),
        )
    html = staff_client_with_keys(world, "triage").get(planner_url(case)).content.decode()
    assert selected(html, "passports") == {"GE"}
    assert selected(html, "visas") == {"DE"}
    assert "the travel documents recorded on this case that are valid today" in html
    assert "Which passports are held and valid is not recorded" not in html
    assert "Sentinel-Number-123" not in html


def test_it_fills_the_form_from_what_was_typed_after_a_call(world):
    case = verified(call_case(world))
    client = staff_client_with_keys(world, "triage")
    html = client.get(planner_url(case)).content.decode()
    assert selected(html, "origin_region") == {"RU-CE"}
    assert selected(html, "citizenships") == {"RU", "GE"}
    assert AuditEvent.objects.filter(event_type=EventType.CASE_VIEWED).exists()


def test_it_asks_to_unlock_the_keys_and_leaves_the_person_out_without_them(world, staff_client):
    case = verified(call_case(world))
    response = staff_client("triage").get(planner_url(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your key is not unlocked in this session" in html
    assert selected(html, "origin_country") == set()
    assert selected(html, "citizenships") == set()
    assert not AuditEvent.objects.filter(event_type=EventType.CASE_VIEWED).exists()


@pytest.mark.parametrize(
    "state",
    [
        CaseState.RECEIVED,
        CaseState.SCREENING,
        CaseState.VERIFICATION,
        CaseState.DECLINED,
        CaseState.CLOSED,
    ],
)
def test_it_refuses_to_plan_before_the_case_is_verified(world, planned, state):
    case = verified(call_case(world), state)
    client = staff_client_with_keys(world, "triage")
    for response in (client.get(planner_url(case)), client.post(planner_url(case), QUESTION)):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Routes are planned only for a verified case." in html
        assert 'name="origin_country"' not in html
    assert not planned
    assert not AuditEvent.objects.filter(event_type=EventType.ROUTES_PLANNED).exists()


@pytest.mark.parametrize(
    "state", [CaseState.PLANNING, CaseState.TRAVEL_BOOKED, CaseState.IN_TRANSIT]
)
def test_it_plans_for_a_case_until_it_has_left(world, staff_client, state):
    case = verified(call_case(world), state)
    assert staff_client("triage").get(planner_url(case)).status_code == 200


def test_it_hides_the_case_from_outsiders_and_refuses_the_wrong_roles(world, staff_client):
    case = verified(call_case(world))
    assert staff_client("caseworker").get(planner_url(case)).status_code == 404
    assert staff_client("partner_a").get(planner_url(case)).status_code == 403
    assert staff_client("interpreter").get(planner_url(case)).status_code == 403
    assert staff_client("finance").post(planner_url(case), QUESTION).status_code == 403


def test_it_shows_nothing_in_a_duress_session(world, planned):
    case = verified(call_case(world))
    do_set_duress_password(world.users["triage"], DURESS, actor=world.users["triage"])
    client = log_in(world, "triage", DURESS)
    assert client.get(planner_url(case)).status_code == 404
    assert client.post(planner_url(case), QUESTION).status_code == 404
    assert not planned


def test_it_is_linked_from_the_case_page(world):
    case = verified(call_case(world))
    client = staff_client_with_keys(world, "triage")
    assert planner_url(case) in client.get(f"/en/staff/cases/{case.pk}/").content.decode()


def test_it_follows_only_a_person_whose_sealed_link_opens(world):
    # A database writer re-points the case's main person to another request (one the viewer's
    # key opens): the planner does not follow the clear pointer to it.
    case = verified(open_case(world, place_region="RU-CE", citizenships=["RU"]))
    other = open_case(world, citizenships=["RU", "GE"])
    other_request = other.people.get().help_request
    other.people.update(help_request=None)
    case.people.filter(is_primary=True).update(help_request=other_request)
    html = staff_client_with_keys(world, "triage").get(planner_url(case)).content.decode()
    assert selected(html, "origin_region") == set()
    assert selected(html, "citizenships") == set()
