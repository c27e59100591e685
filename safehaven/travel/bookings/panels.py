"""The case page's bookings panel: the bookings opened with the viewer's own travel key, each
traveller's checklist, and the forms. Nothing for a viewer without ``OPEN_CASES``
(interpreters, partners) or in a duress session."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from safehaven.accounts.access import Perm, has_perm
from safehaven.accounts.models import User
from safehaven.cases.choices import CompartmentKind
from safehaven.cases.models import Case
from safehaven.keys.login_key import is_duress_session, unlocked_private_key
from safehaven.travel.bookings.actions import missing_for_confirmation, traveller_names
from safehaven.travel.bookings.queries import OpenedBooking, open_bookings
from safehaven.travel.choices import BookingStatus, ChecklistItem
from safehaven.travel.compartment import open_travel
from safehaven.travel.planner.pages import PLANNING_STATES


@dataclass(frozen=True)
class ChecklistLine:
    item: str
    label: str
    ticked: bool


@dataclass(frozen=True)
class TravellerView:
    person: int
    name: str
    checklist: list[ChecklistLine]


@dataclass(frozen=True)
class BookingView:
    opened: OpenedBooking
    travellers: list[TravellerView]
    missing: list[str]
    draft: bool
    open: bool  # neither cancelled nor on a closed case


def _booking_view(case: Case, opened: OpenedBooking, names: dict[int, str]) -> BookingView:
    content = opened.content
    if content is None:
        return BookingView(opened, [], [], False, False)
    travellers = [
        TravellerView(
            person,
            names.get(person, f"#{person}"),
            [
                ChecklistLine(item.value, str(item.label), content.ticked(person, item.value))
                for item in ChecklistItem
            ],
        )
        for person in content.travellers
    ]
    status = opened.row.status
    draft = status == BookingStatus.DRAFT
    return BookingView(
        opened,
        travellers,
        missing_for_confirmation(content, names) if draft else [],
        draft and not case.is_closed,
        status != BookingStatus.CANCELLED and not case.is_closed,
    )


def bookings_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    user = request.user
    if not isinstance(user, User) or is_duress_session(request):
        return None
    if not has_perm(user, Perm.OPEN_CASES):
        return None
    context: dict[str, object] = {
        "case": case,
        "can_book": case.state in PLANNING_STATES and not case.is_closed,
        "locked": False,
        "no_key": False,
        "bookings": [],
    }
    private_key = unlocked_private_key(request)
    if private_key is None:
        return {"travel_bookings": {**context, "locked": True}}
    if case.compartment_record_id(CompartmentKind.TRAVEL) is None:
        return {"travel_bookings": context}
    opened = open_travel(case, actor=user, private_key=private_key)
    if opened is None:
        return {"travel_bookings": {**context, "no_key": True}}
    names = traveller_names(case)
    views = [_booking_view(case, booking, names) for booking in open_bookings(case, opened)]
    return {"travel_bookings": {**context, "bookings": views}}
