"""The ticket files' pages, from the case page's "Ticket files" panel: add one (multipart),
download one (audited; an attachment no browser renders, sniffs, keeps or runs), remove one.
Each case through ``access_case``, each booking within that case, each file within that
booking: 404 otherwise."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from safehaven.accounts.access import current_user, get_or_404
from safehaven.cases.access import access_case
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.verification.pages import back_to_case, post_or_show_form
from safehaven.core.uploads.served import served_file_response
from safehaven.keys.login_key import unlocked_private_key
from safehaven.travel.models import Booking, TicketFile
from safehaven.travel.tickets.actions import (
    do_add_ticket_file,
    do_open_ticket_file,
    do_remove_ticket_file,
)
from safehaven.travel.tickets.forms import RemoveTicketFileForm, TicketFileForm

# Nothing in a downloaded file may run or load anything if a browser shows it after all.
DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def _booking(request: HttpRequest, case_id: int, booking_id: int) -> Booking:
    case = access_case(request, case_id)
    return get_or_404(Booking.objects.filter(case=case).select_related("case"), booking_id)


def _ticket(request: HttpRequest, case_id: int, booking_id: int, ticket_id: int) -> TicketFile:
    booking = _booking(request, case_id, booking_id)
    rows = TicketFile.objects.filter(case=booking.case, booking=booking).select_related("case")
    return get_or_404(rows, ticket_id)


@require_http_methods(["GET", "POST"])
def add_ticket_file(request: HttpRequest, case_id: int, booking_id: int) -> HttpResponse:
    booking = _booking(request, case_id, booking_id)
    form = TicketFileForm(request.POST or None, request.FILES or None, case=booking.case)

    def add(private_key: bytes, data: dict[str, Any]) -> str:
        do_add_ticket_file(
            booking,
            upload=data["file"],
            traveller=data["traveller"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Ticket file added and sealed.")

    return post_or_show_form(request, booking.case, form, title=_("Add a ticket file"), act=add)


@require_GET
def download_ticket_file(
    request: HttpRequest, case_id: int, booking_id: int, ticket_id: int
) -> HttpResponse:
    ticket = _ticket(request, case_id, booking_id, ticket_id)
    private_key = unlocked_private_key(request)
    if private_key is None:
        messages.error(request, _("Your key is not unlocked in this session. Log in again."))
        return back_to_case(ticket.case)
    try:
        opened = do_open_ticket_file(ticket, actor=current_user(request), private_key=private_key)
    except CaseActionRefused as refusal:
        messages.error(request, str(refusal))
        return back_to_case(ticket.case)
    response = served_file_response(
        opened.content, opened.details.content_type, opened.download_name
    )
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    return response


@require_http_methods(["GET", "POST"])
def remove_ticket_file(
    request: HttpRequest, case_id: int, booking_id: int, ticket_id: int
) -> HttpResponse:
    ticket = _ticket(request, case_id, booking_id, ticket_id)
    form = RemoveTicketFileForm(request.POST or None)

    def remove(private_key: bytes, data: dict[str, Any]) -> str:
        do_remove_ticket_file(
            ticket, reason=data["reason"], actor=current_user(request), private_key=private_key
        )
        return _("Ticket file removed.")

    return post_or_show_form(
        request, ticket.case, form, title=_("Remove a ticket file"), act=remove
    )
