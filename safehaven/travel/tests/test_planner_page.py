"""The planner's page for a case: who may open it, the form filled from the case, the answer
to a POST (routes, the flagged section, reasons, dates, warnings), and no place in a URL or in
the audit log."""

from __future__ import annotations

import datetime
import re
from html import unescape
from typing import Any

import pytest
from django.utils import timezone

from safehaven.accounts.tests.duress_logins import DURESS, log_in
from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case
from safehaven.cases.opening.actions import CallDetails, do_open_case_from_call
from safehaven.cases.tests.helpers import open_case
from safehaven.cases.tests.verification_helpers import approved_in_place
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys
from safehaven.keys.actions.duress import do_set_duress_password
from safehaven.travel.choices import TravelDocumentKind
from safehaven.travel.documents.actions import do_add_travel_document
from safehaven.travel.models import SavedRoute
from safehaven.travel.planner import actions as planner_actions
from safehaven.travel.routes.plan import (
    Entry,
    EntryBasis,
    HostilePlace,
    Leg,
    LegMode,
    Plan,
    Rejection,
    RejectionReason,
    Route,
    Suspension,
    Traveller,
)

pytestmark = pytest.mark.django_db


def url(case: Case) -> str:
    return f"/en/staff/cases/{case.pk}/travel/plan/"


def verified(case: Case, state: str = CaseState.VERIFIED) -> Case:
    Case.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    return case


def call_case(world, **details) -> Case:
    values: dict[str, Any] = {
        "country": "RU",
        "languages": ["ru"],
        "summary": "Called from a neighbour's phone.",
        "region": "Chechnya",
        "citizenships": "Russia, Georgia",
        "contacts": "",
        "risk_score": 50,
    } | details
    return do_open_case_from_call(
        CallDetails(**values), reason="A call.", actor=world.users["triage"]
    )


def selected(html: str, name: str) -> set[str]:
    """The values chosen in the select named ``name``."""
    block = html.split(f'name="{name}"')[1].split("</select>")[0]
    options = block.split('<option value="')[1:]
    return {part.split('"')[0] for part in options if '" selected>' in part} - {""}


ISTANBUL = Route(
    destination="DE",
    legs=(
        Leg(
            LegMode.LAND,
            "RU",
            "GE",
            "RU",
            "GE",
            6.0,
            "open",
            Entry("GE", "RU", EntryBasis.VISA_FREE, 365),
        ),
        Leg(LegMode.AIR, "TBS", "IST", "GE", "TR", 2.5),
        Leg(
            LegMode.AIR,
            "IST",
            "FRA",
            "TR",
            "DE",
            3.5,
            entry=Entry("DE", "RU", EntryBasis.VISA_HELD),
        ),
    ),
    hours=14.0,
    transit_countries=("GE", "TR"),
)
ARMENIA = Route(
    destination="CA",
    legs=(
        Leg(
            LegMode.LAND,
            "RU",
            "GE",
            "RU",
            "GE",
            6.0,
            "restricted",
            Entry("GE", "RU", EntryBasis.E_VISA),
        ),
        Leg(LegMode.AIR, "TBS", "YYZ", "GE", "CA", 11.0, entry=Entry("CA", "RU", EntryBasis.ETA)),
    ),
    hours=19.0,
    transit_countries=("GE",),
)
THROUGH_DUBAI = Route(
    destination="BR",
    legs=(
        Leg(LegMode.AIR, "GRV", "DXB", "RU", "AE", 4.0),
        Leg(
            LegMode.AIR,
            "DXB",
            "GRU",
            "AE",
            "BR",
            14.0,
            entry=Entry("BR", "RU", EntryBasis.VISA_ON_ARRIVAL),
        ),
    ),
    hours=20.0,
    transit_countries=("AE",),
    hostile_transits=(HostilePlace("AE"), HostilePlace("RU", "RU-CE")),
)


def hand_plan(traveller: Traveller) -> Plan:
    return Plan(
        traveller=traveller,
        routes=(ISTANBUL, ARMENIA, THROUGH_DUBAI),
        rejections=(
            Rejection("JM", RejectionReason.CRIMINALISING_DESTINATION),
            Rejection("GB", RejectionReason.VISA_NEEDED, passports=("RU",)),
            Rejection("AR", RejectionReason.NO_CONNECTION),
        ),
        suspensions=(
            Suspension("RU", "FI", datetime.date(2022, 2, 27), "Council Regulation (EU) 2022/334"),
        ),
    )


@pytest.fixture
def planned(monkeypatch):
    """The search replaced by a hand-made plan; what it was asked is kept."""
    asked: list[Traveller] = []

    def plan_for(traveller: Traveller, *, on=None) -> Plan:
        asked.append(traveller)
        if not traveller.passports:
            return Plan(traveller=traveller, routes=(), no_passport=True)
        return hand_plan(traveller)

    monkeypatch.setattr(planner_actions, "plan_for", plan_for)
    return asked


QUESTION = {
    "origin_country": "RU",
    "origin_region": "RU-CE",
    "citizenships": ["RU"],
    "passports": ["RU"],
    "visas": ["DE"],
}


def test_it_fills_the_form_from_a_request_opened_case(world):
    case = verified(open_case(world, place_region="RU-CE", citizenships=["RU", "AM"]))
    client = staff_client_with_keys(world, "triage")
    response = client.get(url(case))
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
    html = staff_client_with_keys(world, "triage").get(url(case)).content.decode()
    assert selected(html, "passports") == {"GE"}
    assert selected(html, "visas") == {"DE"}
    assert "the travel documents recorded on this case that are valid today" in html
    assert "Which passports are held and valid is not recorded" not in html
    assert "Sentinel-Number-123" not in html


def test_it_fills_the_form_from_what_was_typed_after_a_call(world):
    case = verified(call_case(world))
    client = staff_client_with_keys(world, "triage")
    html = client.get(url(case)).content.decode()
    assert selected(html, "origin_region") == {"RU-CE"}
    assert selected(html, "citizenships") == {"RU", "GE"}
    assert AuditEvent.objects.filter(event_type=EventType.CASE_VIEWED).exists()


def test_it_asks_to_unlock_the_keys_and_leaves_the_person_out_without_them(world, staff_client):
    case = verified(call_case(world))
    response = staff_client("triage").get(url(case))
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
    for response in (client.get(url(case)), client.post(url(case), QUESTION)):
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
    assert staff_client("triage").get(url(case)).status_code == 200


def test_it_hides_the_case_from_outsiders_and_refuses_the_wrong_roles(world, staff_client):
    case = verified(call_case(world))
    assert staff_client("caseworker").get(url(case)).status_code == 404
    assert staff_client("partner_a").get(url(case)).status_code == 403
    assert staff_client("interpreter").get(url(case)).status_code == 403
    assert staff_client("finance").post(url(case), QUESTION).status_code == 403


def test_it_shows_nothing_in_a_duress_session(world, planned):
    case = verified(call_case(world))
    do_set_duress_password(world.users["triage"], DURESS, actor=world.users["triage"])
    client = log_in(world, "triage", DURESS)
    assert client.get(url(case)).status_code == 404
    assert client.post(url(case), QUESTION).status_code == 404
    assert not planned


def test_it_says_what_is_wrong_with_the_question(world, staff_client, planned):
    case = verified(call_case(world))
    client = staff_client("triage")
    html = client.post(url(case), {}).content.decode()
    assert "Choose the country the person is in now." in html
    html = client.post(url(case), QUESTION | {"origin_country": "QQ"}).content.decode()
    assert "Please choose one of the options shown." in html
    assert "QQ" not in html.split('id="planner-question"')[1]
    html = client.post(url(case), QUESTION | {"origin_region": "NG-KN"}).content.decode()
    assert "This region is not in the country chosen above." in html
    html = client.post(url(case), QUESTION | {"passports": ["RU", "ZZ"]}).content.decode()
    assert "Please choose only from the options shown." in html
    assert not planned
    assert 'id="planner-results"' not in html


def test_it_shows_the_routes_their_reasons_and_the_data_behind_them(world, staff_client, planned):
    case = verified(call_case(world))
    response = staff_client("triage").post(url(case), QUESTION)
    html = response.content.decode()
    assert response.status_code == 200
    assert planned == [
        Traveller("RU", "RU-CE", passports=("RU",), visas=("DE",), citizenships=("RU",))
    ]
    safe = html.split('id="planner-safe"')[1].split('id="planner-flagged"')[0]
    flagged = html.split('id="planner-flagged"')[1].split('id="planner-rejections"')[0]
    # Safe routes first, with legs, airports, countries, entries and why they rank there.
    assert safe.index("To Germany") < safe.index("To Canada")
    assert "TBS (Georgia) → IST (Türkiye)" in safe
    assert "Entering Georgia on the passport of Russia: visa free for 365 days." in safe
    assert "Ranked first: the quickest route found" in safe
    assert "ranked after the quicker routes above it" in safe
    assert "restricted crossing" in safe
    assert safe.count("Apply or pay before travel or on arrival.") == 2  # e-visa, ETA
    assert "Transit countries" in safe
    assert "Georgia, Türkiye" in safe
    assert "about 14.0 hours" in safe
    # The flagged one apart, after them, naming the places and the override.
    assert "Routes through a country that criminalises" in flagged
    assert "To Brazil" in flagged
    assert "To Brazil" not in safe
    assert "United Arab Emirates, Chechnya (Russia)" in flagged
    assert "needs a supervisor's override with a reason" in flagged
    assert "visa on arrival" in flagged
    # Why other places were rejected, what suspensions took away, the data and its warnings.
    assert "Jamaica: not offered, because it criminalises same-sex intimacy." in html
    assert "United Kingdom: not offered, because every passport considered (Russia)" in html
    assert "Argentina: not offered: the person would be admitted, but no flight" in html
    assert "Russia → Finland: no flights since 27 February 2022" in html
    assert "Council Regulation (EU) 2022/334" in html
    assert "Flight routes: June 2014." in html
    assert "Visa rules: 17 February 2026." in html
    assert "Airport transit-visa rules are not in the data" in html
    assert "OpenFlights (https://openflights.org/data), June 2014, ODbL 1.0" in html


def test_it_offers_to_save_each_route_with_the_question_by_post(world, staff_client, planned):
    case = verified(call_case(world))
    html = staff_client("triage").post(url(case), QUESTION).content.decode()
    forms = html.split('class="planner-save"')[1:]
    assert len(forms) == 3
    save = f'action="/en/staff/cases/{case.pk}/travel/routes/save/"'
    assert all(save in html.split(form)[0][-200:] for form in forms)
    first = forms[0].split("</form>")[0]
    assert f'name="route_key" value="{ISTANBUL.key.replace(">", "&gt;")}"' in first
    for name, value in [
        ("origin_country", "RU"),
        ("origin_region", "RU-CE"),
        ("citizenships", "RU"),
        ("passports", "RU"),
        ("visas", "DE"),
    ]:
        assert f'<input type="hidden" name="{name}" value="{value}">' in first


def test_it_keeps_places_out_of_the_address_and_the_audit_log(world, staff_client, planned):
    case = verified(call_case(world))
    response = staff_client("triage").post(url(case), QUESTION)
    assert response.request["PATH_INFO"] == url(case)
    assert not response.request["QUERY_STRING"]
    assert 'method="get"' not in response.content.decode().lower()
    event = AuditEvent.objects.get(event_type=EventType.ROUTES_PLANNED)
    assert event.target_ref == str(case.pk)
    assert event.detail == ""
    assert staff_client("triage").get(url(case) + "?origin_country=RU").status_code == 200
    assert AuditEvent.objects.filter(event_type=EventType.ROUTES_PLANNED).count() == 1


def test_it_says_plainly_that_no_route_exists_without_a_passport(world, staff_client, planned):
    case = verified(call_case(world))
    html = staff_client("triage").post(url(case), QUESTION | {"passports": []}).content.decode()
    answer = html.split('id="planner-no-passport"')[1]
    assert "No travel route exists yet: no valid passport or travel document is recorded." in answer
    assert "UNHCR" in answer
    assert f'href="/en/staff/cases/{case.pk}/#pathways"' in answer
    assert 'class="planner-save"' not in html


def test_it_explains_why_no_route_was_found(world, staff_client, monkeypatch):
    def nothing(traveller: Traveller, *, on=None) -> Plan:
        return Plan(
            traveller=traveller,
            routes=(),
            rejections=(Rejection("CA", RejectionReason.NO_ADMISSION, passports=("AF",)),),
        )

    monkeypatch.setattr(planner_actions, "plan_for", nothing)
    case = verified(call_case(world))
    html = staff_client("triage").post(url(case), QUESTION | {"passports": ["AF"]}).content.decode()
    assert "No route was found." in html
    assert (
        "Canada: not offered, because it admits none of the passports considered (Afghanistan)."
        in html
    )


def test_it_is_linked_from_the_case_page(world):
    case = verified(call_case(world))
    client = staff_client_with_keys(world, "triage")
    assert url(case) in client.get(f"/en/staff/cases/{case.pk}/").content.decode()


def test_it_plans_on_the_shipped_data_for_someone_in_chechnya(world, staff_client):
    case = verified(call_case(world))
    html = staff_client("triage").post(url(case), QUESTION | {"visas": []}).content.decode()
    safe = html.split('id="planner-safe"')[1].split('id="planner-rejections"')[0]
    assert "Ranked first: the quickest route found" in safe
    assert 'class="planner-save"' in safe
    assert 'id="planner-rejections"' in html
    assert "Airport transit-visa rules are not in the data" in html


def save_form_data(html: str) -> tuple[str, dict[str, list[str]]]:
    """The first route's save form: its action and what it posts."""
    form = (
        html.split('class="planner-save"')[0].rsplit("<form ", 1)[1]
        + html.split('class="planner-save"')[1].split("</form>")[0]
    )
    action = unescape(form.split('action="')[1].split('"')[0])
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form):
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(unescape(value))
    return action, data


def test_it_saves_the_route_chosen_on_the_page(world):
    case = call_case(world)
    approved_in_place(case)
    verified(case)
    client = staff_client_with_keys(world, "triage")
    html = client.post(url(case), QUESTION | {"visas": []}).content.decode()
    action, data = save_form_data(html)
    assert action == f"/en/staff/cases/{case.pk}/travel/routes/save/"
    response = client.post(action, data)
    assert response.status_code == 302
    assert SavedRoute.objects.filter(case=case).count() == 1


def test_it_follows_only_a_person_whose_sealed_link_opens(world):
    # A database writer re-points the case's main person to another request (one the viewer's
    # key opens): the planner does not follow the clear pointer to it.
    case = verified(open_case(world, place_region="RU-CE", citizenships=["RU"]))
    other = open_case(world, citizenships=["RU", "GE"])
    other_request = other.people.get().help_request
    other.people.update(help_request=None)
    case.people.filter(is_primary=True).update(help_request=other_request)
    html = staff_client_with_keys(world, "triage").get(url(case)).content.decode()
    assert selected(html, "origin_region") == set()
    assert selected(html, "citizenships") == set()
