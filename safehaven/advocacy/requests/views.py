"""The advocacy officer's pages: the list of requests, drafting one, a request's page (its
counts, never a case) and its status form."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from safehaven.accounts.access import Perm, current_user, require_perm
from safehaven.advocacy.access import (
    access_advocacy_request,
    organisations_with,
    visible_advocacy_requests,
)
from safehaven.advocacy.choices import MOVES, OPEN_STATUSES, AdvocacyStatus
from safehaven.advocacy.letters.drafting import government_name
from safehaven.advocacy.requests.actions import (
    do_change_advocacy_status,
    do_draft_advocacy_request,
)
from safehaven.advocacy.requests.counts import counts_by_request, request_counts
from safehaven.advocacy.requests.forms import ChangeStatusForm, DraftRequestForm
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.intake.submission.place_names import country_choices
from safehaven.keys.login_key import is_duress_session


@require_GET
def list_requests(request: HttpRequest) -> HttpResponse:
    rows = list(visible_advocacy_requests(request))
    counts = counts_by_request(rows)
    names = dict(country_choices())
    items = [(row, names.get(row.government, row.government), counts[row.pk]) for row in rows]
    return render(request, "advocacy/request_list.html", {"items": items})


@require_http_methods(["GET", "POST"])
def draft_request(request: HttpRequest) -> HttpResponse:
    user = require_perm(request, Perm.ADVOCATE)
    organisations = organisations_with(user, Perm.ADVOCATE)
    form = DraftRequestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        if is_duress_session(request):
            # A coerced officer is told it was drafted, and nothing is (SECURITY.md T4): the
            # list they land on is empty, as every list is in a duress session.
            messages.success(request, _("Request drafted. Write its letter next."))
            return redirect("advocacy-list-requests")
        try:
            made = do_draft_advocacy_request(
                form.cleaned_data["organisation"], details=form.details(), actor=user
            )
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Request drafted. Write its letter next."))
            return redirect("advocacy-show-request", advocacy_request_id=made.pk)
    return render(request, "advocacy/request_form.html", {"form": form})


@require_GET
def show_request(request: HttpRequest, advocacy_request_id: int) -> HttpResponse:
    advocacy_request = access_advocacy_request(request, advocacy_request_id)
    context = {
        "advocacy_request": advocacy_request,
        "government": government_name(advocacy_request),
        "counts": request_counts(advocacy_request),
        "is_open": advocacy_request.status in OPEN_STATUSES,
        "can_edit_letter": advocacy_request.status == AdvocacyStatus.DRAFTED,
        "can_change_status": bool(MOVES[advocacy_request.status]),
    }
    return render(request, "advocacy/request_show.html", context)


@require_http_methods(["GET", "POST"])
def change_status(request: HttpRequest, advocacy_request_id: int) -> HttpResponse:
    advocacy_request = access_advocacy_request(request, advocacy_request_id)
    form = ChangeStatusForm(request.POST or None, current=advocacy_request.status)
    if request.method == "POST" and form.is_valid():
        try:
            do_change_advocacy_status(
                advocacy_request, change=form.change(), actor=current_user(request)
            )
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Status changed."))
            return redirect("advocacy-show-request", advocacy_request_id=advocacy_request.pk)
    context = {
        "advocacy_request": advocacy_request,
        "government": government_name(advocacy_request),
        "form": form,
        "decided": not MOVES[advocacy_request.status],
    }
    return render(request, "advocacy/status_form.html", context)
