"""Staff pages for help requests: the triage inbox, a partner's referrals, the requests shared
with a caseworker, one request.

Opening a request needs the reader's own private key (unlocked at login) and is audited; a
reader whose key is missing or cannot open it sees the clear facts and a plain explanation.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safehaven.accounts.access import Perm, current_user
from safehaven.cases.access import cases_visible_to
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.opening.actions import do_accept_help_request, do_join_household
from safehaven.cases.triage.forms import (
    AcceptRequestForm,
    AcknowledgeCheckInForm,
    JoinHouseholdForm,
    ReplyForm,
    RequestStateForm,
    ShareRequestForm,
)
from safehaven.cases.triage.pages import post_on_request_page, render_request_page
from safehaven.core.ids import is_plain_id
from safehaven.countries.models import Crisis
from safehaven.intake.access import access_help_request, visible_requests
from safehaven.intake.choices import OPEN_STATUSES, RequestStatus
from safehaven.intake.handling.actions import (
    do_acknowledge_check_in,
    do_change_request_status,
    do_reply_to_request,
    do_share_help_request,
)

PAGE_SIZE = 50
# What the lists show: never the sealed columns (nor the codename's hash), not even as
# ciphertext in memory.
LIST_COLUMNS = (
    "country",
    "languages",
    "risk_score",
    "risk_band",
    "status",
    "received_month",
    "unread_since",
    "check_in_unacknowledged",
    "referred_by__name",
)
# A crisis id of at most this many digits: longer ones are refused before any query.
CRISIS_ID_DIGITS = 9


def _chosen_crisis(request: HttpRequest) -> Crisis | None:
    """The crisis of ``?crisis=<id>``, when one with that id exists; anything else given gets
    the unfiltered list and says so (never an error page)."""
    value = request.GET.get("crisis", "")
    if not value:
        return None
    crisis = None
    if is_plain_id(value, max_digits=CRISIS_ID_DIGITS):
        crisis = Crisis.objects.filter(pk=int(value)).first()
    if crisis is None:
        messages.warning(request, _("There is no such crisis: all requests are shown."))
    return crisis


@require_GET
def list_requests(request: HttpRequest) -> HttpResponse:
    requests = visible_requests(request, Perm.TRIAGE_REQUESTS)
    crisis = _chosen_crisis(request)
    if crisis is not None:
        requests = requests.filter(crisis=crisis)
    shown = request.GET.get("status", "")
    if shown in RequestStatus.values:
        requests = requests.filter(status=shown)
    else:
        shown = ""
        # Open requests, and any other not erased yet with something new or a check-in not
        # acknowledged: a check-in (a danger one above all) on a closed or withdrawn request
        # must not go unseen.
        requests = requests.filter(
            Q(status__in=OPEN_STATUSES)
            | Q(unread_since__isnull=False)
            | Q(check_in_unacknowledged=True)
        )
    # A check-in to acknowledge first (a danger one may be among them, and nothing in clear
    # tells which); then most at risk; among equals, new activity, then the longest waiting.
    requests = (
        requests.select_related("referred_by")
        .only(*LIST_COLUMNS)
        .order_by(
            "-check_in_unacknowledged",
            "-risk_score",
            F("unread_since").asc(nulls_last=True),
            "pk",
        )
    )
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "shown": shown,
        "statuses": RequestStatus.choices,
        "triage": True,
        "crisis": crisis,
        "crises": Crisis.objects.order_by("-starts_on", "pk").only("name"),
    }
    return render(request, "cases/triage_list.html", context)


# Partners and caseworkers: most at risk first, then the longest waiting. Never by the
# check-in flag nor by new activity: they are not shown either (partners see no notice).
OUTSIDE_TRIAGE_ORDER = ("-risk_score", "pk")


@require_GET
def list_referrals(request: HttpRequest) -> HttpResponse:
    requests = visible_requests(request, Perm.VIEW_REFERRALS).order_by(*OUTSIDE_TRIAGE_ORDER)
    listed = requests.select_related("referred_by").only(*LIST_COLUMNS)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "triage": False, "referrals": True}
    return render(request, "cases/triage_list.html", context)


@require_GET
def list_shared_requests(request: HttpRequest) -> HttpResponse:
    requests = visible_requests(request, Perm.VIEW_SHARED_REQUESTS).order_by(*OUTSIDE_TRIAGE_ORDER)
    listed = requests.select_related("referred_by").only(*LIST_COLUMNS)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "triage": False, "shared": True}
    return render(request, "cases/triage_list.html", context)


@require_GET
def show_request(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_help_request(request, request_id, need=Perm.READ_REQUESTS)
    return render_request_page(request, help_request)


@require_POST
def reply_to_request(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_help_request(request, request_id, need=Perm.TRIAGE_REQUESTS)

    def reply(private_key: bytes, data: dict[str, Any]) -> str:
        do_reply_to_request(
            help_request, actor=current_user(request), private_key=private_key, text=data["body"]
        )
        return _("Your answer is in the person's thread.")

    return post_on_request_page(
        request,
        help_request,
        ReplyForm(request.POST),
        form_name="reply_form",
        act=reply,
        cannot_open=_("Your key cannot open this request, so you cannot answer."),
    )


@require_POST
def change_request_status(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_help_request(request, request_id, need=Perm.TRIAGE_REQUESTS)

    def change(private_key: bytes, data: dict[str, Any]) -> str:
        do_change_request_status(
            help_request,
            actor=current_user(request),
            private_key=private_key,
            status=RequestStatus(data["status"]),
        )
        return _("Status changed.")

    form = RequestStateForm(request.POST)
    return post_on_request_page(request, help_request, form, form_name="status_form", act=change)


@require_POST
def acknowledge_check_in(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_help_request(request, request_id, need=Perm.TRIAGE_REQUESTS)

    def acknowledge(private_key: bytes, data: dict[str, Any]) -> str:
        do_acknowledge_check_in(
            help_request,
            notice_item_id=data["notice"],
            actor=current_user(request),
            private_key=private_key,
            note=data["note"],
        )
        return _("Check-in acknowledged.")

    form = AcknowledgeCheckInForm(request.POST)
    return post_on_request_page(
        request, help_request, form, form_name="acknowledge_form", act=acknowledge
    )


@require_POST
def share_request(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_help_request(request, request_id, need=Perm.TRIAGE_REQUESTS)

    def share(private_key: bytes, data: dict[str, Any]) -> str:
        reader = data["reader"]
        do_share_help_request(
            help_request, to_user=reader, actor=current_user(request), private_key=private_key
        )
        return _("Request shared with %(name)s.") % {"name": reader.username}

    form = ShareRequestForm(request.POST)
    return post_on_request_page(request, help_request, form, form_name="share_form", act=share)


@require_POST
def accept_request(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_help_request(request, request_id, need=Perm.MANAGE_CASES)

    def accept(private_key: bytes, data: dict[str, Any]) -> str:
        case = do_accept_help_request(
            help_request,
            reason=data["reason"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Case #%(number)d opened.") % {"number": case.pk}

    form = AcceptRequestForm(request.POST)
    return post_on_request_page(
        request,
        help_request,
        form,
        form_name="accept_form",
        act=accept,
        cannot_open=_("Your key cannot open this request, so you cannot accept it."),
    )


@require_POST
def join_household(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_help_request(request, request_id, need=Perm.MANAGE_CASES)
    user = current_user(request)

    def join(private_key: bytes, data: dict[str, Any]) -> str:
        case = cases_visible_to(user, Perm.MANAGE_CASES).filter(pk=data["case_number"]).first()
        if case is None:
            raise CaseActionRefused(_("There is no case with this number among yours."))
        do_join_household(case, help_request, actor=user, private_key=private_key)
        return _("The request joined case #%(number)d.") % {"number": case.pk}

    form = JoinHouseholdForm(request.POST)
    return post_on_request_page(
        request,
        help_request,
        form,
        form_name="join_form",
        act=join,
        cannot_open=_("Your key cannot open this request, so you cannot join it to a case."),
    )
