"""The grant pages: a caseworker's request from the case page; finance's queue, a grant's page
and its decisions (approve and refuse from the deciding officer's own session, with both the
password and the second factor re-checked a moment ago: the two-person rule never asks anyone
for another person's password), its cancellation, and a grant to a partner organisation. Each
post is one action; a refusal is shown on the form, or on the grant's page, with what was typed
kept. A decision, like a payment, is taken with the officer's unlocked key: only a holder of
the finance team's key decides."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehaven.accounts.access import Perm, current_user, require_perm
from safehaven.accounts.reauth import reauthentication_redirect
from safehaven.cases.access import access_case
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.finance.access import access_grant, finance_organisations, funds_for
from safehaven.finance.grants.actions import (
    do_approve_grant,
    do_cancel_grant,
    do_refuse_grant,
    do_request_grant,
)
from safehaven.finance.grants.forms import (
    GrantRequestForm,
    PartnerGrantRequestForm,
    funds_for_case,
    funds_for_partners,
    partner_organisations,
)
from safehaven.finance.grants.pages import approved_grants, grant_page, requested_grants
from safehaven.finance.models import Grant
from safehaven.keys.login_key import is_duress_session, unlocked_private_key


def back_to_grant(grant: Grant) -> HttpResponse:
    return redirect("finance-show-grant", grant_id=grant.pk)


@require_GET
def list_grants(request: HttpRequest) -> HttpResponse:
    user = require_perm(request, Perm.MANAGE_FINANCE)
    if is_duress_session(request):
        requested, approved = [], []
    else:
        organisations = finance_organisations(user)
        requested, approved = requested_grants(user, organisations), approved_grants(organisations)
    context = {"requested": requested, "approved": approved}
    return render(request, "finance/grant_queue.html", context)


# On a page's address: re-check the factors that are not fresh before showing it, one after
# the other (allauth comes back to the address after each), so that a dropped decision is
# taken again from a page where both are fresh.
CHECK_AGAIN = "reauthenticate"


def checked_again_url(name: str, **kwargs: int) -> str:
    return f"{reverse(name, kwargs=kwargs)}?{CHECK_AGAIN}=1"


@require_GET
def show_grant(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = access_grant(request, grant_id)
    if CHECK_AGAIN in request.GET:
        again = reauthentication_redirect(request, back_to=request.get_full_path())
        if again is not None:
            return again
    page = grant_page(grant, current_user(request))
    return render(request, "finance/grant_show.html", {"page": page, "grant": grant})


@require_http_methods(["GET", "POST"])
def request_case_grant(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case panel's form posts here; shown alone again after bad input or a refusal."""
    case = access_case(request, case_id, need=Perm.REQUEST_GRANTS)
    funds = funds_for_case(case)
    form = GrantRequestForm(request.POST or None, funds=funds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_request_grant(
                data["fund"],
                category=data["category"],
                amount=data["amount"],
                case=case,
                actor=current_user(request),
            )
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Grant asked for: a finance officer will decide on it."))
            return redirect("cases-show-case", case_id=case.pk)
    context = {"case": case, "form": form, "no_funds": not funds}
    return render(request, "finance/grant_request_case.html", context)


@require_http_methods(["GET", "POST"])
def request_partner_grant(request: HttpRequest) -> HttpResponse:
    require_perm(request, Perm.MANAGE_FINANCE)
    partners = [] if is_duress_session(request) else partner_organisations()
    funds = funds_for_partners(funds_for(request), partners)
    form = PartnerGrantRequestForm(request.POST or None, funds=funds, partners=partners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grant = do_request_grant(
                data["fund"],
                category=data["category"],
                amount=data["amount"],
                partner=data["partner"],
                actor=current_user(request),
            )
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Grant to the partner organisation asked for."))
            return back_to_grant(grant)
    context = {"form": form, "no_funds": not funds, "no_partners": not partners}
    return render(request, "finance/grant_request_partner.html", context)


def _decide(
    request: HttpRequest, grant_id: int, decide: Callable[[Grant], object], done: str
) -> HttpResponse:
    grant = access_grant(request, grant_id)
    try:
        decide(grant)
    except CaseActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done)
    return back_to_grant(grant)


def _decide_reauthenticated(
    request: HttpRequest, grant_id: int, decide: Callable[[Grant], object], done: str
) -> HttpResponse:
    """Approve or refuse: the grant is looked up first (403 or 404 before anyone is asked for
    anything), then both factors must have been re-checked within the timeout
    (``accounts/reauth.py``); a post that comes too late is dropped, never replayed, and the
    officer decides again from the grant's page."""
    access_grant(request, grant_id)
    back_to = checked_again_url("finance-show-grant", grant_id=grant_id)
    again = reauthentication_redirect(request, back_to=back_to)
    if again is not None:
        messages.info(request, _("Confirm who you are again, then decide again."))
        return again
    return _decide(request, grant_id, decide, done)


@require_POST
def approve_grant(request: HttpRequest, grant_id: int) -> HttpResponse:
    def approve(grant: Grant) -> object:
        key = unlocked_private_key(request)
        return do_approve_grant(grant, actor=current_user(request), private_key=key)

    return _decide_reauthenticated(
        request, grant_id, approve, _("Grant approved and posted to the ledger.")
    )


@require_POST
def refuse_grant(request: HttpRequest, grant_id: int) -> HttpResponse:
    def refuse(grant: Grant) -> object:
        key = unlocked_private_key(request)
        return do_refuse_grant(grant, actor=current_user(request), private_key=key)

    return _decide_reauthenticated(request, grant_id, refuse, _("Grant refused."))


@require_POST
def cancel_grant(request: HttpRequest, grant_id: int) -> HttpResponse:
    def cancel(grant: Grant) -> object:
        key = unlocked_private_key(request)
        return do_cancel_grant(grant, actor=current_user(request), private_key=key)

    return _decide(request, grant_id, cancel, _("Grant cancelled."))
