"""Helpers for the booking tests: a case being planned with a saved route, a booking made as
the caseworker makes one, and its content opened."""

from __future__ import annotations

import datetime
from typing import Any

from safehaven.accounts.models import User
from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case
from safehaven.intake.tests.helpers import private_key
from safehaven.travel.bookings.actions import (
    do_add_segment,
    do_book_route,
    do_tick_document,
)
from safehaven.travel.bookings.queries import OpenedBooking, open_booking
from safehaven.travel.choices import ChecklistItem
from safehaven.travel.compartment import open_travel
from safehaven.travel.models import Booking, SavedRoute
from safehaven.travel.saved_routes.actions import do_save_route
from safehaven.travel.tests.saved_route_helpers import SAFE, TRAVELLER, use_plan, verified_case

DEPARTS = datetime.datetime(2027, 1, 10, 6, 30, tzinfo=datetime.UTC)
ARRIVES = datetime.datetime(2027, 1, 10, 9, 45, tzinfo=datetime.UTC)


def as_user(username: str = "caseworker") -> dict[str, Any]:
    return {"actor": User.objects.get(username=username), "private_key": private_key(username)}


def planning_case(world: Any, monkeypatch: Any, **request: Any) -> tuple[Case, SavedRoute]:
    """A verified case moved to planning, with the SAFE route saved to it."""
    use_plan(monkeypatch, SAFE)
    case = verified_case(world, **request)
    saved = do_save_route(case, traveller=TRAVELLER, route_key=SAFE.key, **as_user())
    Case.objects.filter(pk=case.pk).update(state=CaseState.PLANNING)
    case.refresh_from_db()
    return case, saved


def book(case: Case, saved: SavedRoute | None = None, username: str = "caseworker") -> Booking:
    return do_book_route(
        case, saved_route=saved, travellers=list(case.people.all()), **as_user(username)
    )


def fill_segment(booking: Booking, number: int | None = 1, **more: Any) -> Booking:
    values: dict[str, Any] = {
        "segment": number,
        "from_place": "",
        "to_place": "",
        "departs": DEPARTS,
        "arrives": ARRIVES,
        "carrier": "Armavia",
        "reference": "QX7PLM",
    }
    values.update(more)
    return do_add_segment(booking, **values, **as_user())


def tick_all(booking: Booking, case: Case) -> None:
    for person in case.people.all():
        for item in ChecklistItem:
            do_tick_document(booking, person=person, item=item.value, **as_user())


def opened(booking: Booking, username: str = "caseworker") -> OpenedBooking:
    row = Booking.objects.get(pk=booking.pk)
    travel = open_travel(
        row.case, actor=User.objects.get(username=username), private_key=private_key(username)
    )
    assert travel is not None
    return open_booking(row, travel)
