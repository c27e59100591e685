"""The case page's "Ticket files" panel: for each booking not cancelled, its files by traveller
(named by their place in the case, names being sealed), opened with the viewer's own travel
key, and the forms to add, download and remove one. Nothing for a viewer who cannot open the
casework (``casework_viewer``: interpreters, partners, a duress session, locked keys) nor for a
case without a booking."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _

from safehaven.cases.models import Case
from safehaven.cases.panels import casework_viewer
from safehaven.travel.bookings.actions import traveller_names
from safehaven.travel.bookings.queries import OpenedBooking, open_bookings
from safehaven.travel.choices import BookingStatus
from safehaven.travel.compartment import open_travel
from safehaven.travel.tickets.forms import TicketFileForm
from safehaven.travel.tickets.queries import OpenedTicketFile, ticket_files_of


@dataclass(frozen=True)
class TravellerFiles:
    name: str
    files: list[OpenedTicketFile]


@dataclass(frozen=True)
class BookingTickets:
    opened: OpenedBooking
    groups: list[TravellerFiles]
    forged: list[OpenedTicketFile]  # rows of this booking whose seal does not open
    removed: list[OpenedTicketFile]
    form: TicketFileForm | None  # None on a closed case or a forged booking


def _booking_tickets(
    case: Case, opened: OpenedBooking, files: list[OpenedTicketFile], names: dict[int, str]
) -> BookingTickets:
    mine = [item for item in files if item.row.booking_id == opened.row.pk]
    forged = [item for item in mine if item.details is None]
    genuine = [item for item in mine if item.details is not None]
    removed = [item for item in genuine if item.row.removed_at is not None]
    live = [item for item in genuine if item.row.removed_at is None]
    content = opened.content
    if content is None:
        return BookingTickets(opened, [], forged, removed, None)
    # A booking's travellers never change, and a file is added only for one of them.
    whose: list[int | None] = [None, *content.travellers]
    groups = [
        TravellerFiles(
            str(_("The whole booking")) if person is None else names.get(person, f"#{person}"),
            [item for item in live if item.details and item.details.traveller == person],
        )
        for person in whose
    ]
    form = None
    if not case.is_closed:
        form = TicketFileForm(
            case=case, travellers=list(content.travellers), auto_id=f"ticket-{opened.row.pk}-%s"
        )
    return BookingTickets(opened, groups, forged, removed, form)


def tickets_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    viewer = casework_viewer(request, case)
    if viewer is None:
        return None
    context: dict[str, object] = {"case": case, "no_key": False, "bookings": []}
    opened = open_travel(case, actor=viewer.user, private_key=viewer.private_key)
    if opened is None:
        if case.bookings.exists():
            return {"travel_tickets": {**context, "no_key": True}}
        return None
    bookings = [
        booking
        for booking in open_bookings(case, opened)
        if booking.row.status != BookingStatus.CANCELLED
    ]
    if not bookings:
        return None
    files = ticket_files_of([booking.row for booking in bookings], opened)
    names = traveller_names(case)
    shown = [_booking_tickets(case, booking, files, names) for booking in bookings]
    return {"travel_tickets": {**context, "bookings": shown}}
