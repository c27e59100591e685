"""The bookings pages: starting a booking, recording a segment, ticking, confirming and
cancelling from the case page's bookings panel (travel.bookings)."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case
from safehaven.intake.tests.helpers import requester_client, staff_client_with_keys
from safehaven.travel.bookings.panels import bookings_panel
from safehaven.travel.choices import BookingStatus, ChecklistItem
from safehaven.travel.models import Booking
from safehaven.travel.saved_routes.actions import do_save_route
from safehaven.travel.tests.booking_helpers import as_user, book, planning_case
from safehaven.travel.tests.saved_route_helpers import (
    SAFE,
    TRAVELLER,
    use_plan,
    verified_case_with_codename,
)

pytestmark = pytest.mark.django_db


def url(name: str, booking: Booking) -> str:
    return reverse(name, kwargs={"case_id": booking.case_id, "booking_id": booking.pk})


def case_page(client, case) -> str:
    response = client.get(reverse("cases-show-case", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    return response.content.decode()


def segment_post(number: object = "") -> dict[str, object]:
    return {
        "segment": number,
        "from_place": "",
        "to_place": "",
        "departs": "2027-01-10T06:30",
        "arrives": "2027-01-10T09:45",
        "carrier": "Armavia",
        "reference": "QX7PLM",
    }


def book_all_through_the_pages(client, case, saved) -> Booking:
    new = reverse("travel-book-route", kwargs={"case_id": case.pk})
    people = list(case.people.values_list("pk", flat=True))
    response = client.post(new, {"saved_route": saved.pk, "travellers": people})
    assert response.status_code == 302
    booking = Booking.objects.get(case=case)
    for number in (1, 2):
        assert (
            client.post(url("travel-add-segment", booking), segment_post(number)).status_code == 302
        )
    for person in people:
        for item in ChecklistItem:
            posted = {"person": person, "item": item.value}
            assert client.post(url("travel-tick-document", booking), posted).status_code == 302
    return booking


def test_it_books_a_saved_route_and_confirms_it_from_the_pages(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    client = staff_client_with_keys(world, "caseworker")
    new = reverse("travel-book-route", kwargs={"case_id": case.pk})
    form = client.get(new).content.decode()
    assert f"Saved route #{saved.pk}" in form
    assert "Main person" in form
    booking = book_all_through_the_pages(client, case, saved)
    html = case_page(client, case)
    for shown in ("GRV", "QX7PLM", "Armavia", "2027-01-10T06:30"):
        assert shown in html, shown
    assert url("travel-confirm-booking", booking) in html
    response = client.post(url("travel-confirm-booking", booking))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    case.refresh_from_db()
    assert case.state == CaseState.TRAVEL_BOOKED
    assert "the case is now “Travel booked”" in case_page(client, case)


def test_it_shows_what_is_missing_when_a_confirmation_is_refused(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(url("travel-confirm-booking", booking), follow=True)
    html = response.content.decode()
    assert "This booking cannot be confirmed yet" in html
    assert "segment 1 has no times, carrier or reference" in html
    assert "Main person: Passport or travel document in hand" in html
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.DRAFT


def test_it_shows_the_form_again_on_bad_input(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(
        url("travel-add-segment", booking), {**segment_post(1), "departs": "soon"}
    )
    assert response.status_code == 200
    assert "Give the time as YYYY-MM-DD HH:MM." in response.content.decode()
    response = client.post(url("travel-add-segment", booking), segment_post(7))
    assert response.status_code == 200
    assert "This booking has no such segment." in response.content.decode()
    new = reverse("travel-book-route", kwargs={"case_id": case.pk})
    response = client.post(new, {"saved_route": saved.pk})
    assert response.status_code == 200
    assert "Choose who travels." in response.content.decode()
    response = client.post(
        url("travel-tick-document", booking), {"person": 999999, "item": "visas"}
    )
    assert response.status_code == 200
    assert "does not travel on this booking" in response.content.decode()
    response = client.post(url("travel-cancel-booking", booking), {"reason": ""})
    assert response.status_code == 200
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.DRAFT


def test_it_cancels_from_the_page(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    client = staff_client_with_keys(world, "caseworker")
    assert client.get(url("travel-cancel-booking", booking)).status_code == 200
    response = client.post(url("travel-cancel-booking", booking), {"reason": "Plans changed."})
    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    assert "Plans changed." in case_page(client, case)


def test_it_answers_404_outside_the_case_and_403_to_other_roles(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    other, _saved = planning_case(world, monkeypatch)
    client = staff_client_with_keys(world, "caseworker")
    wrong_case = reverse(
        "travel-confirm-booking", kwargs={"case_id": other.pk, "booking_id": booking.pk}
    )
    assert client.post(wrong_case).status_code == 404
    assert (
        client.get(
            reverse("travel-cancel-booking", kwargs={"case_id": case.pk, "booking_id": 999999})
        ).status_code
        == 404
    )
    interpreter = staff_client_with_keys(world, "interpreter")
    assert interpreter.post(url("travel-confirm-booking", booking)).status_code in (403, 404)
    assert interpreter.get(
        reverse("travel-book-route", kwargs={"case_id": case.pk})
    ).status_code in (403, 404)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.DRAFT


def test_interpreters_never_see_the_panel(world, monkeypatch):
    case, _saved = planning_case(world, monkeypatch)
    request = RequestFactory().get("/")
    request.user = world.users["interpreter"]
    request.session = SessionStore()
    assert bookings_panel(request, case) is None


def test_it_asks_to_unlock_the_keys_when_they_are_locked(world, staff_client, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    book(case, saved)
    html = case_page(staff_client("caseworker"), case)
    assert "Unlock your keys (log in again) to see this case's bookings." in html
    assert "GRV" not in html


def test_it_shows_a_forged_booking_as_forged(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CONFIRMED)
    client = staff_client_with_keys(world, "caseworker")
    html = case_page(client, case)
    assert "Does not match its seal: hidden. Tell your administrators now." in html
    assert url("travel-confirm-booking", booking) not in html
    assert url("travel-tick-document", booking) not in html


def test_the_person_s_status_page_shows_nothing_of_a_booking(world, monkeypatch):
    use_plan(monkeypatch, SAFE)
    case, codename = verified_case_with_codename(world)
    saved = do_save_route(case, traveller=TRAVELLER, route_key=SAFE.key, **as_user())
    Case.objects.filter(pk=case.pk).update(state=CaseState.PLANNING)
    case.refresh_from_db()
    person = requester_client(codename)
    before = person.get("/en/status/request/").content.decode()
    client = staff_client_with_keys(world, "caseworker")
    booking = book_all_through_the_pages(client, case, saved)
    assert client.post(url("travel-confirm-booking", booking)).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.TRAVEL_BOOKED
    after = person.get("/en/status/request/").content.decode()
    for word in ("GRV", "EVN", "BER", "Armavia", "QX7PLM", "2027", "booked", "Booking"):
        assert after.count(word) == before.count(word), word
