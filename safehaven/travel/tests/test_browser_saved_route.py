"""Saving a route in the browser (issue 18): a caseworker opens a verified case, plans a route
on the shipped data, saves it; the case shows it; the person's status page shows nothing of
it."""

import pytest

from safehaven.accounts.tests.test_browser_webauthn import path_of, submit
from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.models import Case
from safehaven.cases.opening.actions import do_accept_help_request
from safehaven.cases.tests.test_browser_triage import DESK, log_in
from safehaven.cases.tests.verification_helpers import approved_in_place
from safehaven.intake.models import HelpRequest
from safehaven.intake.submission.place_names import country_choices
from safehaven.intake.tests.helpers import private_key
from safehaven.intake.tests.test_browser_status import open_the_status_page, send_a_request
from safehaven.travel.choices import RouteStatus
from safehaven.travel.compartment import open_travel
from safehaven.travel.models import SavedRoute
from safehaven.travel.saved_routes.queries import open_saved_route

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def verified_case(world) -> Case:
    triage = {"actor": world.users["triage"], "private_key": private_key("triage")}
    case = do_accept_help_request(HelpRequest.objects.get(), reason="At risk.", **triage)
    do_assign_case(case, user=world.users["caseworker"], role=AssignmentRole.CASEWORKER, **triage)
    approved_in_place(case)
    Case.objects.filter(pk=case.pk).update(state=CaseState.VERIFIED)
    return case


def words_of(saved: SavedRoute, world) -> set[str]:
    """Every airport code and country (code and English name) of the saved route."""
    travel = open_travel(
        saved.case, actor=world.users["caseworker"], private_key=private_key("caseworker")
    )
    assert travel is not None
    content = open_saved_route(saved, travel).content
    assert content is not None
    names = dict(country_choices())
    words = set()
    for leg in content.route.legs:
        words |= {leg.from_place, leg.to_place}
        for country in (leg.from_country, leg.to_country):
            words |= {country, names.get(country, country)}
    return words


def test_it_plans_and_saves_a_route_that_the_person_never_sees(
    browser_context, live_server, world, totp_code, country_facts
):
    base = live_server.url
    person_context = browser_context.browser.new_context(locale="en-GB")
    try:
        person = person_context.new_page()
        codename = send_a_request(person, base, "en")
        open_the_status_page(person, base, "en", codename)
        before = person.locator("body").inner_text()
        case = verified_case(world)

        staff = browser_context.new_page()
        staff.set_viewport_size(DESK)
        log_in(staff, base, world, totp_code, "caseworker")
        staff.goto(f"{base}/en/staff/cases/{case.pk}/")
        assert "No route saved yet." in staff.locator("#routes").inner_text()
        submit(staff, staff.locator("#routes").get_by_role("link", name="Plan a route").click)
        question = staff.locator("#planner-question form")
        question.locator("select[name=origin_country]").select_option("RU")
        question.locator("select[name=passports]").select_option(["RU"])
        submit(staff, question.get_by_role("button", name="Find routes").click)
        first = staff.locator("#planner-safe > li").first
        submit(staff, first.get_by_role("button", name="Save this route to the case").click)

        assert path_of(staff) == f"/en/staff/cases/{case.pk}/"
        saved = SavedRoute.objects.get(case=case)
        assert saved.status == RouteStatus.SAVED
        shown = staff.locator("#routes").inner_text()
        assert "Route saved to the case." in staff.locator("body").inner_text()
        words = words_of(saved, world)
        places = {word for word in words if len(word) == 3}  # the airports
        assert places
        assert all(place in shown for place in places)

        person.reload()
        after = person.locator("body").inner_text()
        for word in sorted(words):
            assert after.count(word) == before.count(word), word
    finally:
        person_context.close()
