"""The follow-ups panel's forms post here and come back to the case page; bad input or a
refusal shows the form alone with what was typed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safehaven.accounts.access import current_user, get_or_404
from safehaven.cases.access import access_case
from safehaven.cases.verification.pages import decide_and_go_back, post_or_show_form
from safehaven.travel.follow_ups.actions import (
    do_confirm_arrival,
    do_log_follow_up,
    do_schedule_follow_ups,
)
from safehaven.travel.follow_ups.forms import ConfirmArrivalForm, LogFollowUpForm
from safehaven.travel.models import FollowUp


@require_http_methods(["GET", "POST"])
def confirm_arrival(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id)
    form = ConfirmArrivalForm(request.POST or None)

    def confirm(private_key: bytes, data: dict[str, Any]) -> str:
        do_confirm_arrival(
            case,
            reason=data["reason"],
            arrived_in=data["arrived_in"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Safe arrival confirmed; the follow-ups are scheduled.")

    return post_or_show_form(request, case, form, title=_("Confirm safe arrival"), act=confirm)


@require_POST
def schedule_follow_ups(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id)

    def schedule(private_key: bytes) -> str:
        do_schedule_follow_ups(case, actor=current_user(request), private_key=private_key)
        return _("The follow-ups are scheduled.")

    return decide_and_go_back(request, case, schedule)


@require_http_methods(["GET", "POST"])
def log_follow_up(request: HttpRequest, case_id: int, follow_up_id: int) -> HttpResponse:
    case = access_case(request, case_id)
    row = get_or_404(FollowUp.objects.filter(case=case).select_related("case"), follow_up_id)
    form = LogFollowUpForm(request.POST or None)

    def log(private_key: bytes, data: dict[str, Any]) -> str:
        do_log_follow_up(
            row,
            outcome=data["outcome"],
            notes=form.topic_notes(),
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Follow-up logged.")

    return post_or_show_form(request, case, form, title=_("Log a follow-up"), act=log)
