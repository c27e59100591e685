"""The planner's answer to a POST: bad input, the routes (the flagged section, reasons, dates,
warnings), no passport, no route, no place in a URL or in the audit log, and saving a route from
the results."""

from __future__ import annotations

import re
from html import unescape

import pytest

from safehaven.cases.tests.verification_helpers import approved_in_place
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.travel.models import SavedRoute
from safehaven.travel.planner import actions as planner_actions
from safehaven.travel.routes.plan import Plan, Rejection, RejectionReason, Traveller
from safehaven.travel.tests.helpers import (
    ISTANBUL,
    QUESTION,
    call_case,
    planner_url,
    replace_search,
    verified,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(monkeypatch) -> list[Traveller]:
    """The search replaced by a hand-made plan; what it was asked is kept."""
    return replace_search(monkeypatch)


def test_it_says_what_is_wrong_with_the_question(world, staff_client, planned):
    case = verified(call_case(world))
    client = staff_client("triage")
    html = client.post(planner_url(case), {}).content.decode()
    assert "Choose the country the person is in now." in html
    html = client.post(planner_url(case), QUESTION | {"origin_country": "QQ"}).content.decode()
    assert "Please choose one of the options shown." in html
    assert "QQ" not in html.split('id="planner-question"')[1]
    html = client.post(planner_url(case), QUESTION | {"origin_region": "NG-KN"}).content.decode()
    assert "This region is not in the country chosen above." in html
    html = client.post(planner_url(case), QUESTION | {"passports": ["RU", "ZZ"]}).content.decode()
    assert "Please choose only from the options shown." in html
    assert not planned
    assert 'id="planner-results"' not in html


def test_it_shows_the_routes_their_reasons_and_the_data_behind_them(world, staff_client, planned):
    case = verified(call_case(world))
    response = staff_client("triage").post(planner_url(case), QUESTION)
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
    html = staff_client("triage").post(planner_url(case), QUESTION).content.decode()
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
    response = staff_client("triage").post(planner_url(case), QUESTION)
    assert response.request["PATH_INFO"] == planner_url(case)
    assert not response.request["QUERY_STRING"]
    assert 'method="get"' not in response.content.decode().lower()
    event = AuditEvent.objects.get(event_type=EventType.ROUTES_PLANNED)
    assert event.target_ref == str(case.pk)
    assert event.detail == ""
    assert staff_client("triage").get(planner_url(case) + "?origin_country=RU").status_code == 200
    assert AuditEvent.objects.filter(event_type=EventType.ROUTES_PLANNED).count() == 1


def test_it_says_plainly_that_no_route_exists_without_a_passport(world, staff_client, planned):
    case = verified(call_case(world))
    html = (
        staff_client("triage")
        .post(planner_url(case), QUESTION | {"passports": []})
        .content.decode()
    )
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
    html = (
        staff_client("triage")
        .post(planner_url(case), QUESTION | {"passports": ["AF"]})
        .content.decode()
    )
    assert "No route was found." in html
    assert (
        "Canada: not offered, because it admits none of the passports considered (Afghanistan)."
        in html
    )


def test_it_plans_on_the_shipped_data_for_someone_in_chechnya(world, staff_client):
    case = verified(call_case(world))
    html = staff_client("triage").post(planner_url(case), QUESTION | {"visas": []}).content.decode()
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
    html = client.post(planner_url(case), QUESTION | {"visas": []}).content.decode()
    action, data = save_form_data(html)
    assert action == f"/en/staff/cases/{case.pk}/travel/routes/save/"
    response = client.post(action, data)
    assert response.status_code == 302
    assert SavedRoute.objects.filter(case=case).count() == 1
