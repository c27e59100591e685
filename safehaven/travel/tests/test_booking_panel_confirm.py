"""The bookings panel offers "Confirm this booking" only to those who may confirm it: anyone
who may open a booking that follows its saved route; for one entered by hand or whose segments
differ, only a supervisor of the case's organisation who did not start it (the others read who
must confirm it) — the rule ``do_confirm_booking`` enforces (travel.bookings.panels)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.travel.bookings.actions import do_confirm_booking
from safehaven.travel.models import Booking
from safehaven.travel.tests.booking_helpers import (
    as_user,
    book,
    fill_segment,
    planning_case,
    tick_all,
)

pytestmark = pytest.mark.django_db

SECOND_LOOK = "organisation who did not start this booking must confirm it"


def confirm_url(booking: Booking) -> str:
    return reverse(
        "travel-confirm-booking", kwargs={"case_id": booking.case_id, "booking_id": booking.pk}
    )


def panel(client, booking: Booking) -> str:
    response = client.get(reverse("cases-show-case", kwargs={"case_id": booking.case_id}))
    assert response.status_code == 200
    html = response.content.decode()
    return html.split(f'id="booking-{booking.pk}"')[1].split("</article>")[0]


def ready_by_hand(world, monkeypatch, username: str = "caseworker") -> Booking:
    case, _saved = planning_case(world, monkeypatch)
    booking = book(case, username=username)
    fill_segment(booking, None, from_place="Nalchik", to_place="Tbilisi")
    tick_all(booking, case)
    return booking


def test_a_booking_by_hand_shows_confirm_only_to_a_supervisor_who_did_not_start_it(
    world, monkeypatch
):
    booking = ready_by_hand(world, monkeypatch)
    shown = panel(staff_client_with_keys(world, "caseworker"), booking)
    assert confirm_url(booking) not in shown
    assert SECOND_LOOK in shown
    shown = panel(staff_client_with_keys(world, "supervisor"), booking)
    assert confirm_url(booking) in shown
    assert SECOND_LOOK not in shown
    do_confirm_booking(booking, **as_user("supervisor"))  # what the button offers, it does


def test_a_supervisor_who_started_it_reads_who_must_confirm_it(world, monkeypatch):
    booking = ready_by_hand(world, monkeypatch, username="supervisor")
    shown = panel(staff_client_with_keys(world, "supervisor"), booking)
    assert confirm_url(booking) not in shown
    assert SECOND_LOOK in shown


def test_a_booking_that_follows_its_route_shows_confirm_to_its_caseworker(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    client = staff_client_with_keys(world, "caseworker")
    shown = panel(client, booking)
    assert confirm_url(booking) in shown
    assert SECOND_LOOK not in shown
    fill_segment(booking, None, from_place="Yerevan", to_place="Riga")  # now differs
    shown = panel(client, booking)
    assert confirm_url(booking) not in shown
    assert SECOND_LOOK in shown
