"""The posts of bookings, from the case page's bookings panel: each one action, then back to
the case page; a form with bad input or a refusal is shown again on a page of its own."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safehaven.accounts.access import current_user, get_or_404
from safehaven.cases.access import access_case
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.verification.pages import decide_and_go_back, post_or_show_form
from safehaven.core.ids import is_plain_id
from safehaven.travel.bookings.actions import (
    do_add_segment,
    do_book_route,
    do_cancel_booking,
    do_confirm_booking,
    do_tick_document,
)
from safehaven.travel.bookings.forms import (
    BookRouteForm,
    CancelBookingForm,
    SegmentForm,
    TickDocumentForm,
)
from safehaven.travel.models import Booking


def _booking(request: HttpRequest, case_id: int, booking_id: int) -> Booking:
    case = access_case(request, case_id)
    return get_or_404(Booking.objects.filter(case=case).select_related("case"), booking_id)


@require_http_methods(["GET", "POST"])
def book_route(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id)
    form = BookRouteForm(request.POST or None, case=case)

    def book(private_key: bytes, data: dict[str, Any]) -> str:
        do_book_route(
            case,
            saved_route=data["saved_route"],
            travellers=list(data["travellers"]),
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Booking started, sealed with the case's travel records.")

    return post_or_show_form(request, case, form, title=_("Book the journey"), act=book)


@require_http_methods(["GET", "POST"])
def add_segment(request: HttpRequest, case_id: int, booking_id: int) -> HttpResponse:
    booking = _booking(request, case_id, booking_id)
    segment = request.GET.get("segment", "")  # a number only, never a place
    initial = {"segment": int(segment)} if is_plain_id(segment, max_digits=2) else {}
    form = SegmentForm(request.POST or None, initial=initial)

    def add(private_key: bytes, data: dict[str, Any]) -> str:
        do_add_segment(
            booking,
            segment=data["segment"],
            from_place=data["from_place"],
            to_place=data["to_place"],
            departs=data["departs"],
            arrives=data["arrives"],
            carrier=data["carrier"],
            reference=data["reference"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Segment recorded.")

    return post_or_show_form(request, booking.case, form, title=_("Record a segment"), act=add)


@require_POST
def tick_document(request: HttpRequest, case_id: int, booking_id: int) -> HttpResponse:
    booking = _booking(request, case_id, booking_id)
    form = TickDocumentForm(request.POST)

    def tick(private_key: bytes, data: dict[str, Any]) -> str:
        person = booking.case.people.filter(pk=data["person"]).first()
        if person is None:
            raise CaseActionRefused(_("This person does not travel on this booking."))
        do_tick_document(
            booking,
            person=person,
            item=data["item"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Document ticked.")

    return post_or_show_form(request, booking.case, form, title=_("Tick a document"), act=tick)


@require_POST
def confirm_booking(request: HttpRequest, case_id: int, booking_id: int) -> HttpResponse:
    booking = _booking(request, case_id, booking_id)

    def confirm(private_key: bytes) -> str:
        do_confirm_booking(booking, actor=current_user(request), private_key=private_key)
        return _("Booking confirmed: the case is now “Travel booked”.")

    return decide_and_go_back(request, booking.case, confirm)


@require_http_methods(["GET", "POST"])
def cancel_booking(request: HttpRequest, case_id: int, booking_id: int) -> HttpResponse:
    booking = _booking(request, case_id, booking_id)
    form = CancelBookingForm(request.POST or None)

    def cancel(private_key: bytes, data: dict[str, Any]) -> str:
        do_cancel_booking(
            booking, reason=data["reason"], actor=current_user(request), private_key=private_key
        )
        return _("Booking cancelled.")

    return post_or_show_form(request, booking.case, form, title=_("Cancel a booking"), act=cancel)
