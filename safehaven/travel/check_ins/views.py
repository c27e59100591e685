"""The check-ins panel's forms post here and come back to the case page; bad input or a refusal
shows the form alone again, with what was typed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from safehaven.accounts.access import current_user, get_or_404
from safehaven.cases.access import access_case
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.verification.pages import back_to_case, decide_and_go_back, post_or_show_form
from safehaven.keys.login_key import unlocked_private_key
from safehaven.travel.bookings.queries import open_booking
from safehaven.travel.check_ins.actions import (
    do_cancel_check_in,
    do_log_check_in,
    do_mark_in_transit,
    do_schedule_check_ins,
)
from safehaven.travel.check_ins.forms import (
    ZONES_LIST_ID,
    CancelCheckInForm,
    LogCheckInForm,
    ScheduleCheckInsForm,
    WindowFormSet,
)
from safehaven.travel.check_ins.windows import known_time_zones, suggested_windows
from safehaven.travel.compartment import open_travel
from safehaven.travel.models import Booking, ExpectedCheckIn


def _booking(request: HttpRequest, case_id: int, booking_id: int) -> Booking:
    case = access_case(request, case_id)
    return get_or_404(Booking.objects.filter(case=case).select_related("case"), booking_id)


def _check_in(request: HttpRequest, case_id: int, check_in_id: int) -> ExpectedCheckIn:
    case = access_case(request, case_id)
    return get_or_404(ExpectedCheckIn.objects.filter(case=case).select_related("case"), check_in_id)


def _suggestions(request: HttpRequest, booking: Booking) -> list[dict[str, object]] | None:
    """The windows the booking's segments suggest; None when the viewer's key cannot open it."""
    private_key = unlocked_private_key(request)
    if private_key is None:
        return None
    opened = open_travel(booking.case, actor=current_user(request), private_key=private_key)
    content = None if opened is None else open_booking(booking, opened).content
    if content is None:
        return None
    return [
        {"point": s.point, "place": s.place, "opens": s.opens, "due_by": s.due_by}
        for s in suggested_windows(content.segments)
    ]


@require_http_methods(["GET", "POST"])
def schedule_check_ins(request: HttpRequest, case_id: int, booking_id: int) -> HttpResponse:
    booking = _booking(request, case_id, booking_id)
    form = ScheduleCheckInsForm(request.POST or None)
    suggestions = None if request.method == "POST" else _suggestions(request, booking)
    windows = WindowFormSet(request.POST or None, initial=suggestions or None, prefix="window")
    if request.method == "POST" and form.is_valid() and windows.is_valid():
        private_key = unlocked_private_key(request)
        if private_key is None:
            form.add_error(
                None, _("Your key is not unlocked in this session. Log out and log in again.")
            )
        else:
            zone = form.cleaned_data["zone"]
            asked = [window for row in windows.forms if (window := row.asked(zone)) is not None]
            try:
                made = do_schedule_check_ins(
                    booking, windows=asked, actor=current_user(request), private_key=private_key
                )
            except CaseActionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d check-in scheduled: the alarm now waits for it.",
                        "%(count)d check-ins scheduled: the alarm now waits for them.",
                        len(made),
                    )
                    % {"count": len(made)},
                )
                return back_to_case(booking.case)
    context = {
        "case": booking.case,
        "booking": booking,
        "form": form,
        "windows": windows,
        # Filled from the booking (GET), or not (no key); after a post, as typed.
        "filled": "" if request.method == "POST" else ("yes" if suggestions is not None else "no"),
        "zones": sorted(known_time_zones()),
        "zones_list_id": ZONES_LIST_ID,
        "title": _("Schedule the journey's check-ins"),
    }
    return render(request, "travel/check_in_schedule.html", context)


@require_http_methods(["GET", "POST"])
def log_check_in(request: HttpRequest, case_id: int, check_in_id: int) -> HttpResponse:
    row = _check_in(request, case_id, check_in_id)
    form = LogCheckInForm(request.POST or None)

    def log(private_key: bytes, data: dict[str, Any]) -> str:
        do_log_check_in(
            row,
            in_danger=data["in_danger"],
            note=data["note"],
            actor=current_user(request),
            private_key=private_key,
        )
        if data["in_danger"]:
            return _("Check-in logged with a danger signal: an alert is raised.")
        return _("Check-in logged.")

    return post_or_show_form(
        request, row.case, form, title=_("Log a check-in after a call"), act=log
    )


@require_http_methods(["GET", "POST"])
def cancel_check_in(request: HttpRequest, case_id: int, check_in_id: int) -> HttpResponse:
    row = _check_in(request, case_id, check_in_id)
    form = CancelCheckInForm(request.POST or None)

    def cancel(private_key: bytes, data: dict[str, Any]) -> str:
        do_cancel_check_in(
            row, reason=data["reason"], actor=current_user(request), private_key=private_key
        )
        return _("Check-in cancelled: the alarm no longer waits for it.")

    return post_or_show_form(request, row.case, form, title=_("Cancel a check-in"), act=cancel)


@require_POST
def mark_in_transit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id)

    def mark(private_key: bytes) -> str:
        do_mark_in_transit(case, actor=current_user(request), private_key=private_key)
        return _("The case is now “In transit”.")

    return decide_and_go_back(request, case, mark)
