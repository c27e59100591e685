"""The donations pages of a fund, for its organisation's finance officers: the gifts (amounts
and days; donors' names only when an officer asks, with the password and the second factor
re-checked a moment ago, each opening audited), recording one by hand, and importing a CSV file
(all or nothing, each bad row named with its line). Pages that may hold a name are never kept
by the browser."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from safehaven.accounts.access import Perm, require_perm
from safehaven.accounts.reauth import reauthentication_redirect
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.finance.access import access_fund
from safehaven.finance.donations.actions import do_record_donation
from safehaven.finance.donations.csv_import import (
    COLUMNS,
    SAMPLE,
    ImportRefused,
    RowProblem,
    read_donations,
)
from safehaven.finance.donations.donor_names import DonorName, open_donor_names
from safehaven.finance.donations.forms import DonationForm, ImportForm
from safehaven.finance.donations.import_actions import do_import_donations
from safehaven.finance.donations.pages import donation_rows, shown_donations
from safehaven.finance.models import Fund
from safehaven.keys.login_key import unlocked_private_key

# See grants/views.py: the page re-checks both factors before it shows itself.
CHECK_AGAIN = "reauthenticate"
NO_KEY = gettext_lazy("Your key is not unlocked in this session. Log out and log in again.")


@never_cache
@require_http_methods(["GET", "POST"])
def list_donations(request: HttpRequest, fund_id: int) -> HttpResponse:
    """GET: the gifts without names. POST ("Show donors' names"): the same with names, once
    both factors were re-checked (a post that comes too late is dropped: asked again)."""
    fund = access_fund(request, fund_id)
    user = require_perm(request, Perm.MANAGE_FINANCE)
    if request.method == "POST" or CHECK_AGAIN in request.GET:
        back_to = (
            f"{reverse('finance-list-donations', kwargs={'fund_id': fund.pk})}?{CHECK_AGAIN}=1"
        )
        again = reauthentication_redirect(request, back_to=back_to)
        if again is not None:
            if request.method == "POST":  # dropped: asked again (accounts/reauth.py)
                messages.info(request, _("Confirm who you are again, then show the names again."))
            return again
    donations = shown_donations(fund)
    names: dict[int, DonorName] | None = None
    if request.method == "POST":
        private_key = unlocked_private_key(request)
        if private_key is None:
            messages.error(request, str(NO_KEY))
        else:
            try:
                names = open_donor_names(fund, donations, actor=user, private_key=private_key)
            except CaseActionRefused as refusal:
                messages.error(request, str(refusal))
    context = {
        "fund": fund,
        "rows": donation_rows(donations, names),
        "names_open": names is not None,
    }
    return render(request, "finance/donation_list.html", context)


@never_cache
@sensitive_post_parameters("donor_name")
@require_http_methods(["GET", "POST"])
def record_donation(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = access_fund(request, fund_id)
    user = require_perm(request, Perm.MANAGE_FINANCE)
    today = {"received_on": timezone.localdate()}
    form = DonationForm(request.POST or None, fund=fund, initial=today)
    if request.method == "POST" and form.is_valid():
        private_key = unlocked_private_key(request)
        amount, conversion = form.amounts()
        if private_key is None:
            form.add_error(None, str(NO_KEY))
        else:
            try:
                do_record_donation(
                    fund,
                    received_on=form.cleaned_data["received_on"],
                    amount=amount,
                    conversion=conversion,
                    donor_name=form.cleaned_data["donor_name"],
                    actor=user,
                    private_key=private_key,
                )
            except CaseActionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("The donation is recorded."))
                return redirect("finance-list-donations", fund_id=fund.pk)
    return render(request, "finance/donation_form.html", {"fund": fund, "form": form})


def _import(request: HttpRequest, form: ImportForm, fund: Fund) -> list[RowProblem] | int:
    """The problems found, or how many donations were imported."""
    user = require_perm(request, Perm.MANAGE_FINANCE)
    private_key = unlocked_private_key(request)
    if private_key is None:
        return [RowProblem(None, str(NO_KEY))]
    try:
        rows = read_donations(fund, form.cleaned_data["file"], today=timezone.localdate())
        return len(do_import_donations(fund, rows, actor=user, private_key=private_key))
    except ImportRefused as refusal:
        return refusal.problems
    except CaseActionRefused as refusal:
        return [RowProblem(None, str(refusal))]


@never_cache
@require_http_methods(["GET", "POST"])
def import_donations(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = access_fund(request, fund_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[RowProblem] = []
    if request.method == "POST" and form.is_valid():
        outcome = _import(request, form, fund)
        if isinstance(outcome, int):
            messages.success(
                request,
                ngettext("%(count)s donation imported.", "%(count)s donations imported.", outcome)
                % {"count": outcome},
            )
            return redirect("finance-list-donations", fund_id=fund.pk)
        problems = outcome
    context = {
        "fund": fund,
        "form": form,
        "problems": problems,
        "columns": COLUMNS,
        "sample": SAMPLE,
    }
    return render(request, "finance/donation_import.html", context)
