"""Staff pages for help requests: the triage inbox, a partner's referrals, the requests shared
with a caseworker, one request.

Opening a request needs the reader's own private key (unlocked at login) and is audited; a
reader whose key is missing or cannot open it sees the clear facts and a plain explanation.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safehaven.accounts.access import Perm, current_user
from safehaven.intake.access import access_help_request, visible_requests
from safehaven.intake.choices import OPEN_STATUSES, RequestStatus
from safehaven.intake.triage.actions import (
    RequestActionRefused,
    do_acknowledge_check_in,
    do_change_request_status,
    do_reply_to_request,
    do_share_help_request,
)
from safehaven.intake.triage.forms import (
    AcknowledgeCheckInForm,
    ReplyForm,
    RequestStateForm,
    ShareRequestForm,
)
from safehaven.intake.triage.pages import render_request_page
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.login_key import unlocked_private_key

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


@require_GET
def list_requests(request: HttpRequest) -> HttpResponse:
    requests = visible_requests(request, Perm.TRIAGE_REQUESTS)
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
    context = {"page": page, "shown": shown, "statuses": RequestStatus.choices, "triage": True}
    return render(request, "intake/triage_list.html", context)


# Partners and caseworkers: most at risk first, then the longest waiting. Never by the
# check-in flag nor by new activity: they are not shown either (partners see no notice).
OUTSIDE_TRIAGE_ORDER = ("-risk_score", "pk")


@require_GET
def list_referrals(request: HttpRequest) -> HttpResponse:
    requests = visible_requests(request, Perm.VIEW_REFERRALS).order_by(*OUTSIDE_TRIAGE_ORDER)
    listed = requests.select_related("referred_by").only(*LIST_COLUMNS)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "triage": False, "referrals": True}
    return render(request, "intake/triage_list.html", context)


@require_GET
def list_shared_requests(request: HttpRequest) -> HttpResponse:
    requests = visible_requests(request, Perm.VIEW_SHARED_REQUESTS).order_by(*OUTSIDE_TRIAGE_ORDER)
    listed = requests.select_related("referred_by").only(*LIST_COLUMNS)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "triage": False, "shared": True}
    return render(request, "intake/triage_list.html", context)


@require_GET
def show_request(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_help_request(request, request_id, need=Perm.READ_REQUESTS)
    return render_request_page(request, help_request)


@require_POST
def reply_to_request(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_help_request(request, request_id, need=Perm.TRIAGE_REQUESTS)
    form = ReplyForm(request.POST)
    private_key = unlocked_private_key(request)
    if form.is_valid() and private_key is not None:
        try:
            do_reply_to_request(
                help_request,
                actor=current_user(request),
                private_key=private_key,
                text=form.cleaned_data["body"],
            )
        except RequestActionRefused as refusal:
            form.add_error(None, str(refusal))
        except RecordUnavailable:
            form.add_error(None, _("Your key cannot open this request, so you cannot answer."))
        else:
            messages.success(request, _("Your answer is in the person's thread."))
            return redirect("intake-show-request", request_id=help_request.pk)
    return render_request_page(request, help_request, reply_form=form)


@require_POST
def change_request_status(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_help_request(request, request_id, need=Perm.TRIAGE_REQUESTS)
    form = RequestStateForm(request.POST)
    private_key = unlocked_private_key(request)
    # Without an unlocked key the page says why and offers no status form.
    if form.is_valid() and private_key is not None:
        try:
            do_change_request_status(
                help_request,
                actor=current_user(request),
                private_key=private_key,
                status=RequestStatus(form.cleaned_data["status"]),
            )
        except RequestActionRefused as refusal:
            form.add_error(None, str(refusal))
        except RecordUnavailable:
            pass  # The page says so (it cannot open the request) and offers no status form.
        else:
            messages.success(request, _("Status changed."))
            return redirect("intake-show-request", request_id=help_request.pk)
    return render_request_page(request, help_request, status_form=form)


@require_POST
def acknowledge_check_in(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_help_request(request, request_id, need=Perm.TRIAGE_REQUESTS)
    form = AcknowledgeCheckInForm(request.POST)
    private_key = unlocked_private_key(request)
    if form.is_valid() and private_key is not None:
        try:
            do_acknowledge_check_in(
                help_request,
                notice_item_id=form.cleaned_data["notice"],
                actor=current_user(request),
                private_key=private_key,
                note=form.cleaned_data["note"],
            )
        except RequestActionRefused as refusal:
            form.add_error(None, str(refusal))
        except RecordUnavailable:
            pass  # The page says so (it cannot open the request) and offers no form.
        else:
            messages.success(request, _("Check-in acknowledged."))
            return redirect("intake-show-request", request_id=help_request.pk)
    return render_request_page(request, help_request, acknowledge_form=form)


@require_POST
def share_request(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_help_request(request, request_id, need=Perm.TRIAGE_REQUESTS)
    form = ShareRequestForm(request.POST)
    private_key = unlocked_private_key(request)
    if form.is_valid() and private_key is not None:
        reader = form.cleaned_data["reader"]
        try:
            do_share_help_request(
                help_request, to_user=reader, actor=current_user(request), private_key=private_key
            )
        except RequestActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Request shared with %(name)s.") % {"name": reader.username},
            )
            return redirect("intake-show-request", request_id=help_request.pk)
    return render_request_page(request, help_request, share_form=form)
