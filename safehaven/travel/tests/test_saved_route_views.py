"""The saved-routes pages: saving from the planner's results, the override and withdrawal
forms, the printable summary and the case page's panel (travel.saved_routes)."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import requester_client, staff_client_with_keys
from safehaven.travel.choices import RouteStatus
from safehaven.travel.models import SavedRoute
from safehaven.travel.routes.plan import Traveller
from safehaven.travel.routes.planning import plan_for
from safehaven.travel.saved_routes.panels import saved_routes_panel
from safehaven.travel.tests.saved_route_helpers import (
    FLAGGED,
    ROUTE_WORDS,
    SAFE,
    save_post,
    use_plan,
    verified_case,
    verified_case_with_codename,
)

pytestmark = pytest.mark.django_db


def save_url(case) -> str:
    return reverse("travel-save-route", kwargs={"case_id": case.pk})


def route_url(name: str, saved: SavedRoute) -> str:
    return reverse(name, kwargs={"case_id": saved.case_id, "route_id": saved.pk})


def case_page(client, case) -> str:
    response = client.get(reverse("cases-show-case", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_it_saves_a_posted_route_and_shows_it_on_the_case_page(world, monkeypatch):
    use_plan(monkeypatch, SAFE, FLAGGED)
    case = verified_case(world)
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(save_url(case), save_post(SAFE))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{case.pk}/#routes")
    saved = SavedRoute.objects.get(case=case)
    assert saved.status == RouteStatus.SAVED
    html = case_page(client, case)
    assert "Route saved to the case." in html
    assert "EVN" in html
    assert "Armenia" in html
    assert route_url("travel-print-route", saved) in html
    assert route_url("travel-withdraw-route", saved) in html
    assert "travel-override-route" not in html


def test_it_saves_a_route_the_shipped_planner_offers(world):
    """No planner swapped in: the real search on the shipped data, as the planner's page
    posts it."""
    case = verified_case(world)
    traveller = Traveller(origin_country="RU", origin_region="RU-CE", passports=("RU",))
    plan = plan_for(traveller)
    route = plan.safe_routes[0]
    client = staff_client_with_keys(world, "caseworker")
    assert client.post(save_url(case), save_post(route, traveller)).status_code == 302
    saved = SavedRoute.objects.get(case=case)
    assert saved.status == RouteStatus.SAVED
    assert route.legs[0].from_place in case_page(client, case)


def test_it_only_saves_by_post(world, monkeypatch):
    use_plan(monkeypatch, SAFE)
    case = verified_case(world)
    client = staff_client_with_keys(world, "caseworker")
    assert client.get(save_url(case)).status_code == 405
    assert not SavedRoute.objects.exists()


def test_it_shows_what_was_wrong_with_a_post(world, monkeypatch):
    use_plan(monkeypatch, SAFE)
    case = verified_case(world)
    client = staff_client_with_keys(world, "caseworker")
    post = {**save_post(SAFE), "route_key": "", "origin_country": "XX"}
    response = client.post(save_url(case), post)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Country the person is in now: Please choose one of the options shown." in html
    assert "Route chosen: This field is required." in html
    assert not SavedRoute.objects.exists()


def test_it_says_so_when_the_route_is_no_longer_offered(world, monkeypatch):
    use_plan(monkeypatch, SAFE)
    case = verified_case(world)
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(save_url(case), save_post(FLAGGED))
    assert response.status_code == 200
    assert "the data changed, plan again" in response.content.decode()
    assert not SavedRoute.objects.exists()


def test_it_hides_the_case_from_those_outside_it(world, monkeypatch):
    use_plan(monkeypatch, SAFE)
    case = verified_case(world)
    from safehaven.cases.models import CaseAssignment

    CaseAssignment.objects.filter(case=case, user=world.users["caseworker"]).delete()
    response = staff_client_with_keys(world, "caseworker").post(save_url(case), save_post(SAFE))
    assert response.status_code == 404
    response = staff_client_with_keys(world, "interpreter").post(save_url(case), save_post(SAFE))
    assert response.status_code == 403
    assert not SavedRoute.objects.exists()


def test_it_lets_only_a_supervisor_allow_a_flagged_route(world, monkeypatch):
    use_plan(monkeypatch, FLAGGED)
    case = verified_case(world)
    caseworker = staff_client_with_keys(world, "caseworker")
    caseworker.post(save_url(case), save_post(FLAGGED))
    saved = SavedRoute.objects.get(case=case)
    assert saved.status == RouteStatus.NEEDS_OVERRIDE
    url = route_url("travel-override-route", saved)
    assert url not in case_page(caseworker, case)
    assert caseworker.post(url, {"reason": "Fine."}).status_code == 403
    supervisor = staff_client_with_keys(world, "supervisor")
    html = case_page(supervisor, case)
    assert url in html
    # Each form of each route has its own field ids.
    assert f'id="route-{saved.pk}-override-reason"' in html
    assert f'id="route-{saved.pk}-withdraw-reason"' in html
    assert "Passes through a country that criminalises the person:" in html
    response = supervisor.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Please fill this in." in response.content.decode()
    response = supervisor.post(url, {"reason": "Short airside transit."})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.status == RouteStatus.SAVED
    assert "Allowed by supervisor" in case_page(supervisor, case)


def test_it_withdraws_a_route(world, monkeypatch):
    use_plan(monkeypatch, SAFE)
    case = verified_case(world)
    client = staff_client_with_keys(world, "caseworker")
    client.post(save_url(case), save_post(SAFE))
    saved = SavedRoute.objects.get(case=case)
    url = route_url("travel-withdraw-route", saved)
    assert client.get(url).status_code == 405
    assert client.post(url, {"reason": "Chose another way."}).status_code == 302
    saved.refresh_from_db()
    assert saved.status == RouteStatus.WITHDRAWN
    assert "Reason for withdrawing it: Chose another way." in case_page(client, case)


def test_it_prints_a_saved_route_and_audits_it(world, monkeypatch):
    use_plan(monkeypatch, FLAGGED)
    case = verified_case(world)
    client = staff_client_with_keys(world, "caseworker")
    client.post(save_url(case), save_post(FLAGGED))
    saved = SavedRoute.objects.get(case=case)
    response = client.get(route_url("travel-print-route", saved))
    assert response.status_code == 200
    html = response.content.decode()
    assert "travel/print.css" in html
    assert "DXB" in html
    assert "United Arab Emirates" in html
    assert "Airport transit-visa rules are not in the data" in html
    assert "flight routes from June 2014" in html
    assert AuditEvent.objects.filter(event_type=EventType.ROUTE_PRINTED).count() == 1
    assert client.post(route_url("travel-print-route", saved)).status_code == 405


def test_it_finds_a_route_only_within_its_own_case(world, monkeypatch):
    use_plan(monkeypatch, SAFE)
    case = verified_case(world)
    other = verified_case(world)
    client = staff_client_with_keys(world, "caseworker")
    client.post(save_url(case), save_post(SAFE))
    saved = SavedRoute.objects.get(case=case)
    wrong = reverse("travel-print-route", kwargs={"case_id": other.pk, "route_id": saved.pk})
    assert client.get(wrong).status_code == 404
    wrong = reverse("travel-withdraw-route", kwargs={"case_id": other.pk, "route_id": saved.pk})
    assert client.post(wrong, {"reason": "x"}).status_code == 404
    assert AuditEvent.objects.filter(event_type=EventType.ROUTE_PRINTED).count() == 0


def test_it_shows_a_route_switched_to_saved_in_the_database_as_damaged(world, monkeypatch):
    use_plan(monkeypatch, FLAGGED)
    case = verified_case(world)
    client = staff_client_with_keys(world, "caseworker")
    client.post(save_url(case), save_post(FLAGGED))
    SavedRoute.objects.filter(case=case).update(status=RouteStatus.SAVED)
    html = case_page(client, case)
    assert "This saved route does not match its seal" in html
    assert "DXB" not in html
    assert "Printable summary" not in html
    saved = SavedRoute.objects.get(case=case)
    html = client.get(route_url("travel-print-route", saved)).content.decode()
    assert "This saved route does not match its seal" in html
    assert "DXB" not in html


def test_it_links_the_planner_only_for_a_case_that_can_be_planned(world):
    from safehaven.cases.tests.verification_helpers import case_in_verification

    client = staff_client_with_keys(world, "caseworker")
    planned = verified_case(world)
    plan_url = reverse("travel-plan-routes", kwargs={"case_id": planned.pk})
    assert plan_url in case_page(client, planned)
    waiting = case_in_verification(world)
    plan_url = reverse("travel-plan-routes", kwargs={"case_id": waiting.pk})
    html = case_page(client, waiting)
    assert 'id="routes"' in html
    assert plan_url not in html


def test_it_shows_the_panel_to_no_interpreter(world):
    case = verified_case(world)
    request = RequestFactory().get("/")
    request.user = world.users["interpreter"]
    request.session = SessionStore()
    assert saved_routes_panel(request, case) is None


def test_it_asks_to_unlock_the_keys_when_they_are_locked(world, staff_client):
    case = verified_case(world)
    html = case_page(staff_client("caseworker"), case)
    assert "Unlock your keys (log in again) to see this case's routes." in html


def test_the_person_s_status_page_shows_nothing_of_a_saved_route(world, monkeypatch):
    use_plan(monkeypatch, SAFE, FLAGGED)
    case, codename = verified_case_with_codename(world)
    person = requester_client(codename)
    before = person.get("/en/status/request/").content.decode()
    client = staff_client_with_keys(world, "caseworker")
    for route in (SAFE, FLAGGED):
        assert client.post(save_url(case), save_post(route)).status_code == 302
    after = person.get("/en/status/request/").content.decode()
    assert SavedRoute.objects.filter(case=case).count() == 2
    for word in ROUTE_WORDS:
        assert after.count(word) == before.count(word), word


def test_it_offers_no_override_to_a_supervisor_of_another_organisation(world, monkeypatch):
    from safehaven.accounts.models import Membership, Role

    use_plan(monkeypatch, FLAGGED)
    case = verified_case(world)
    staff_client_with_keys(world, "triage").post(save_url(case), save_post(FLAGGED))
    saved = SavedRoute.objects.get(case=case)
    Membership.objects.create(
        user=world.users["caseworker"], organisation=world.partner_a, role=Role.SUPERVISOR
    )
    caseworker = staff_client_with_keys(world, "caseworker")
    url = route_url("travel-override-route", saved)
    assert url not in case_page(caseworker, case)
    response = caseworker.post(url, {"reason": "I say so."})
    assert response.status_code == 200
    assert "supervisor of this case&#x27;s organisation" in response.content.decode()
    saved.refresh_from_db()
    assert saved.status == RouteStatus.NEEDS_OVERRIDE


def test_it_offers_no_override_to_the_supervisor_who_saved_the_route(world, monkeypatch):
    use_plan(monkeypatch, FLAGGED)
    case = verified_case(world)
    supervisor = staff_client_with_keys(world, "supervisor")
    supervisor.post(save_url(case), save_post(FLAGGED))
    saved = SavedRoute.objects.get(case=case)
    assert saved.status == RouteStatus.NEEDS_OVERRIDE
    assert route_url("travel-override-route", saved) not in case_page(supervisor, case)


def test_it_shows_the_papers_the_route_was_planned_with_on_the_panel_and_in_print(
    world, monkeypatch
):
    use_plan(monkeypatch, SAFE)
    case = verified_case(world)
    client = staff_client_with_keys(world, "caseworker")
    traveller = Traveller("RU", "RU-CE", passports=("RU", "AM"), visas=("DE",))
    client.post(save_url(case), save_post(SAFE, traveller))
    saved = SavedRoute.objects.get(case=case)
    for html in (
        case_page(client, case),
        client.get(route_url("travel-print-route", saved)).content.decode(),
    ):
        assert "Planned starting from: Chechnya (Russia)" in html
        assert "Passports considered: Russia, Armenia" in html
        assert "Visas and residence permits considered: Germany" in html
