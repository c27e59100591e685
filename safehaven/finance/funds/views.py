"""The funds pages, for finance officers of the organisation: the overview (funds and appeals
with their balances, thresholds, cost per person relocated), one fund, making and changing a
fund, and the grant threshold of a currency. In a duress session the pages look empty and
nothing changes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from safehaven.accounts.access import Perm, require_perm
from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.finance.access import access_fund, finance_organisations, funds_for
from safehaven.finance.choices import GrantCategory
from safehaven.finance.funds.actions import do_create_fund, do_set_grant_threshold
from safehaven.finance.funds.forms import FundForm, ThresholdForm
from safehaven.finance.funds.fund_changes import do_change_fund
from safehaven.finance.funds.pages import fund_row, overview, threshold_rows
from safehaven.keys.login_key import is_duress_session


def kept_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    """The organisations whose funds the officer keeps (none in a duress session)."""
    user = require_perm(request, Perm.MANAGE_FINANCE)
    if is_duress_session(request):
        return Organisation.objects.none()
    return finance_organisations(user).filter(kind=OrganisationKind.RELOCATING).order_by("name")


@require_GET
def list_funds(request: HttpRequest) -> HttpResponse:
    organisations = kept_organisations(request)
    sections = overview(organisations, funds_for(request), request.GET.get("currency", ""))
    return render(request, "finance/fund_list.html", {"sections": sections})


def _fund_settings(data: dict[str, Any]) -> dict[str, Any]:
    """The form's settings as the fund actions take them."""
    return {
        "name": data["name"],
        "target": data["target"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "is_appeal": data["is_appeal"],
        "crisis": data["crisis"],
        "allowed_categories": data["allowed_categories"],
        "allows_partner_grants": data["allows_partner_grants"],
        "allows_overdraft": data["allows_overdraft"],
    }


@require_http_methods(["GET", "POST"])
def create_fund(request: HttpRequest) -> HttpResponse:
    organisations = kept_organisations(request)
    user = require_perm(request, Perm.MANAGE_FINANCE)
    form = FundForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund = do_create_fund(
                data["organisation"],
                currency_code=data["currency"],
                actor=user,
                **_fund_settings(data),
            )
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The fund is made."))
            return redirect("finance-show-fund", fund_id=fund.pk)
    return render(request, "finance/fund_form.html", {"form": form, "fund": None})


@require_GET
def show_fund(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = access_fund(request, fund_id)
    categories = [GrantCategory(category).label for category in fund.allowed_categories]
    context = {"row": fund_row(fund), "fund": fund, "categories": categories}
    return render(request, "finance/fund_show.html", context)


@require_http_methods(["GET", "POST"])
def change_fund(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = access_fund(request, fund_id)
    user = require_perm(request, Perm.MANAGE_FINANCE)
    form = FundForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid():
        try:
            do_change_fund(fund, actor=user, **_fund_settings(form.cleaned_data))
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The fund is changed."))
            return redirect("finance-show-fund", fund_id=fund.pk)
    return render(request, "finance/fund_form.html", {"form": form, "fund": fund})


@require_http_methods(["GET", "POST"])
def set_grant_threshold(request: HttpRequest) -> HttpResponse:
    organisations = kept_organisations(request)
    user = require_perm(request, Perm.MANAGE_FINANCE)
    form = ThresholdForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_set_grant_threshold(
                data["organisation"],
                currency_code=data["currency"],
                amount=data["amount"],
                actor=user,
            )
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The threshold is set."))
            return redirect("finance-set-grant-threshold")
    sections = [(organisation, threshold_rows(organisation)) for organisation in organisations]
    return render(request, "finance/fund_thresholds.html", {"form": form, "sections": sections})
