"""The case page's bookings panel: the bookings opened with the viewer's own travel key, each
traveller's checklist, and the forms. Nothing for a viewer without ``OPEN_CASES``
(interpreters, partners) or in a duress session."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from safehaven.accounts.access import Perm, has_perm, has_perm_in
from safehaven.accounts.models import User
from safehaven.cases.choices import CompartmentKind
from safehaven.cases.models import Case
from safehaven.keys.login_key import is_duress_session, unlocked_private_key
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.bookings.actions import missing_for_confirmation, traveller_names
from safehaven.travel.bookings.queries import OpenedBooking, open_bookings
from safehaven.travel.bookings.sealing import BookingContent
from safehaven.travel.choices import BookingStatus, ChecklistItem, RouteStatus
from safehaven.travel.compartment import open_travel
from safehaven.travel.models import SavedRoute
from safehaven.travel.planner.pages import PLANNING_STATES
from safehaven.travel.saved_routes.queries import open_saved_route


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
    may_confirm: bool = False  # False: only a supervisor who did not start it may confirm it


def _follows_its_route(case: Case, content: BookingContent, travel: OpenedRecord) -> bool:
    """Whether the booking's segments are, in order, the legs of the saved route it was booked
    from, read without a lock (``actions._follows_its_route`` decides, under the lock, at
    confirmation). True too when that route is gone, withdrawn, waiting for an override or
    does not open: the confirmation then refuses everyone, saying why."""
    if content.saved_route is None:
        return False
    saved = SavedRoute.objects.filter(pk=content.saved_route, case=case).first()
    if saved is None or saved.status != RouteStatus.SAVED:
        return True
    route = open_saved_route(saved, travel).content
    if route is None:
        return True
    legs = tuple((leg.from_place, leg.to_place) for leg in route.route.legs)
    return tuple((s.from_place, s.to_place) for s in content.segments) == legs


def _may_confirm(
    user: User, case: Case, opened: OpenedBooking, content: BookingContent, travel: OpenedRecord
) -> bool:
    """The rule of ``actions._refuse_unless_second_look``: a booking that follows its saved
    route, anyone who may open it; otherwise only a supervisor of the case's organisation who
    did not start it."""
    if _follows_its_route(case, content, travel):
        return True
    return (
        has_perm_in(user, Perm.OVERRIDE_ROUTES, case.organisation)
        and opened.row.created_by_id != user.pk
    )


def _booking_view(
    case: Case, opened: OpenedBooking, names: dict[int, str], user: User, travel: OpenedRecord
) -> BookingView:
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
        draft and not case.is_closed and _may_confirm(user, case, opened, content, travel),
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
    views = [
        _booking_view(case, booking, names, user, opened) for booking in open_bookings(case, opened)
    ]
    return {"travel_bookings": {**context, "bookings": views}}
