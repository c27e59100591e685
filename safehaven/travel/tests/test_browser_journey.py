"""A journey in the browser (issue 19): a caseworker books the case's saved route and confirms
it, schedules its check-ins from the booking, the person checks in before departure from their
status page, the caseworker marks the case in transit, the person checks in on arrival, the
caseworker confirms the arrival: the case is "Arrived" and its first follow-up is scheduled."""

import datetime

import pytest
from django.utils import timezone

from safehaven.accounts.tests.test_browser_webauthn import path_of, submit
from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.models import Case
from safehaven.cases.opening.actions import do_accept_help_request
from safehaven.cases.tests.test_browser_triage import DESK, log_in
from safehaven.cases.tests.verification_helpers import approved_in_place
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import private_key
from safehaven.travel.choices import BookingStatus, CheckInVia
from safehaven.travel.models import Booking, ExpectedCheckIn, FollowUp, SavedRoute
from safehaven.travel.saved_routes.actions import do_save_route
from safehaven.travel.tests.booking_helpers import as_user
from safehaven.travel.tests.check_in_helpers import wall_clock
from safehaven.travel.tests.saved_route_helpers import SAFE, TRAVELLER, use_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHRASE = "blue teapot on the shelf"
DANGER = "green umbrella in the rain"
ZONE = "Europe/Berlin"
MINUTES = "%Y-%m-%dT%H:%M"


def send_a_request_with_phrases(page, base: str) -> str:
    page.goto(f"{base}/en/help/")
    page.locator("textarea[name=situation]").fill("My family found out. I need help.")
    page.locator("select[name=country]").select_option("RU")
    page.locator("input[name=contact_signal]").fill("+7 912 000-00-00")
    page.locator("input[name=may_leave_message][value=no]").check()
    page.locator("details.phrases-part > summary").click()
    page.locator("input[name=checkin_phrase]").fill(PHRASE)
    page.locator("input[name=duress_phrase]").fill(DANGER)
    page.locator("input[name=consent]").check()
    page.locator("form[data-pow] button[type=submit]").click()
    page.locator("ol.codename li").first.wait_for()
    return " ".join(page.locator("ol.codename li").all_inner_texts())


def check_in(page, base: str, codename: str) -> None:
    """The person opens their status page with their codename and their check-in phrase."""
    page.goto(f"{base}/en/status/")
    page.locator("input[name=codename]").fill(codename)
    page.locator("input[name=phrase]").fill(PHRASE)
    with page.expect_navigation():
        page.locator("button[name=open]").click()
    page.locator("#request-status").wait_for()


def planning_case_with_a_saved_route(world, monkeypatch) -> Case:
    use_plan(monkeypatch, SAFE)
    triage = {"actor": world.users["triage"], "private_key": private_key("triage")}
    case = do_accept_help_request(HelpRequest.objects.get(), reason="At risk.", **triage)
    do_assign_case(case, user=world.users["caseworker"], role=AssignmentRole.CASEWORKER, **triage)
    approved_in_place(case)
    Case.objects.filter(pk=case.pk).update(state=CaseState.PLANNING)
    case.refresh_from_db()
    do_save_route(case, traveller=TRAVELLER, route_key=SAFE.key, **as_user())
    return case


def book_the_saved_route(staff, base: str, case: Case) -> None:
    """Through the bookings panel: book the route, record both segments, tick every document,
    confirm. The first flight leaves in an hour, the second lands in six (Berlin time)."""
    bookings = staff.locator("#bookings")
    submit(staff, bookings.get_by_role("link", name="Book the journey").click)
    saved = SavedRoute.objects.get(case=case)
    staff.locator("select[name=saved_route]").select_option(str(saved.pk))
    submit(staff, staff.get_by_role("button", name="Save").click)
    times = [(1, 3), (4, 6)]
    for number, (departs, arrives) in enumerate(times, start=1):
        link = staff.locator("#bookings table tbody tr").nth(number - 1).get_by_role("link")
        submit(staff, link.click)
        staff.locator("input[name=departs]").fill(wall_clock(ZONE, departs).strftime(MINUTES))
        staff.locator("input[name=arrives]").fill(wall_clock(ZONE, arrives).strftime(MINUTES))
        staff.locator("input[name=carrier]").fill("Armavia")
        staff.locator("input[name=reference]").fill(f"QX7PL{number}")
        submit(staff, staff.get_by_role("button", name="Save").click)
    while staff.locator("#bookings").get_by_role("button", name="Tick").count():
        submit(staff, staff.locator("#bookings").get_by_role("button", name="Tick").first.click)
    submit(staff, staff.get_by_role("button", name="Confirm this booking").click)
    assert "Travel booked" in staff.locator("#case-state").inner_text()


def schedule_the_check_ins(staff) -> None:
    """From the booking's segments: before departure (open now), the transit left out, the
    arrival window moved to open now."""
    panel = staff.locator("#check-ins")
    submit(staff, panel.get_by_role("link", name="Schedule check-ins for booking").click)
    assert staff.locator("input[name=window-0-place]").input_value() == "GRV"
    staff.locator("input[name=zone]").fill(ZONE)
    staff.locator("input[name=window-1-DELETE]").check()
    staff.locator("input[name=window-2-opens]").fill(wall_clock(ZONE, -1).strftime(MINUTES))
    staff.locator("input[name=window-2-due_by]").fill(wall_clock(ZONE, 8).strftime(MINUTES))
    submit(staff, staff.get_by_role("button", name="Schedule these check-ins").click)
    assert path_of(staff).endswith(f"/staff/cases/{Case.objects.get().pk}/"), staff.locator(
        "main"
    ).inner_text()
    assert "2 check-ins scheduled" in staff.locator("body").inner_text()


def test_a_journey_from_booking_to_arrival(
    browser_context, live_server, world, totp_code, monkeypatch
):
    base = live_server.url
    person_context = browser_context.browser.new_context(locale="en-GB")
    try:
        person = person_context.new_page()
        codename = send_a_request_with_phrases(person, base)
        case = planning_case_with_a_saved_route(world, monkeypatch)

        staff = browser_context.new_page()
        staff.set_viewport_size(DESK)
        log_in(staff, base, world, totp_code, "caseworker")
        case_page = f"{base}/en/staff/cases/{case.pk}/"
        staff.goto(case_page)
        book_the_saved_route(staff, base, case)
        assert Booking.objects.get(case=case).status == BookingStatus.CONFIRMED
        schedule_the_check_ins(staff)
        before, arrival = ExpectedCheckIn.objects.filter(case=case).order_by("position")
        assert before.opens_at <= timezone.now() < before.due_by
        assert arrival.opens_at <= timezone.now() < arrival.due_by

        # Before departure, the person checks in from their status page.
        check_in(person, base, codename)
        before.refresh_from_db()
        assert before.checked_in_via == CheckInVia.STATUS_PAGE
        staff.reload()
        item = staff.locator(f"#check-in-{before.pk}").inner_text()
        assert "Checked in from the status page" in item
        assert "Ordinary check-in." in item
        assert "Travel booked" in staff.locator("#case-state").inner_text()  # never by itself
        submit(staff, staff.locator("#mark-in-transit").click)
        assert "In transit" in staff.locator("#case-state").inner_text()

        # On arrival, again.
        check_in(person, base, codename)
        arrival.refresh_from_db()
        assert arrival.checked_in_via == CheckInVia.STATUS_PAGE
        staff.reload()
        staff.locator("#check-in-arrival a").click()  # to the follow-ups panel's form
        form = staff.locator("#follow-ups form")
        form.locator("textarea[name=reason]").fill("The person checked in on arrival.")
        form.locator("select[name=arrived_in]").select_option("CA")
        submit(staff, form.get_by_role("button", name="Confirm safe arrival").click)

        assert "Arrived" in staff.locator("#case-state").inner_text()
        follow_ups = staff.locator("#follow-ups").inner_text()
        assert "Follow-up after 1 month" in follow_ups
        case.refresh_from_db()
        assert case.arrived_in == "CA"
        first = FollowUp.objects.get(case=case, months=1)
        assert first.due_on > timezone.localdate() + datetime.timedelta(days=27)
        # The person's page shows nothing of the journey.
        page = person.locator("body").inner_text()
        for word in ("GRV", "EVN", "BER", "Armavia", "transit", "Arrived", "arrival"):
            assert word not in page, word
    finally:
        person_context.close()
