"""The budget pages, for finance officers: a year's budget against what was spent, by category
and month, and setting a budget line. In a duress session the page is empty."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_AP
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from safehaven.accounts.access import Perm, require_perm
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.finance.budgets.forms import BudgetLineForm, YearForm
from safehaven.finance.budgets.pages import MONTH_NUMBERS, budget_section
from safehaven.finance.funds.actions import do_set_budget_line
from safehaven.finance.funds.views import kept_organisations


@require_GET
def show_budget(request: HttpRequest) -> HttpResponse:
    organisations = kept_organisations(request)
    today = timezone.localdate()
    year_form = YearForm(request.GET or None, initial={"year": today.year})
    year = year_form.year_or(today.year)
    context = {
        "year": year,
        "year_form": year_form,
        "months": [MONTHS_AP[month] for month in MONTH_NUMBERS],
        "sections": [budget_section(organisation, year) for organisation in organisations],
    }
    return render(request, "finance/budget_show.html", context)


@require_http_methods(["GET", "POST"])
def set_budget_line(request: HttpRequest) -> HttpResponse:
    organisations = kept_organisations(request)
    user = require_perm(request, Perm.MANAGE_FINANCE)
    form = BudgetLineForm(
        request.POST or None, organisations=organisations, today=timezone.localdate()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_set_budget_line(
                data["organisation"],
                year=data["year"],
                month=data["month"],
                category=data["category"],
                currency_code=data["currency"],
                amount=data["amount"],
                actor=user,
            )
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The budget line is set."))
            query = urlencode({"year": data["year"]})
            return redirect(f"{reverse('finance-show-budget')}?{query}")
    return render(request, "finance/budget_form.html", {"form": form})
