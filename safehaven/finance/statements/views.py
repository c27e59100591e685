"""A fund's statement, for its organisation's finance officers and their accountant: printable
(its own print styles), each opening audited (FUND_STATEMENT_VIEWED)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from safehaven.accounts.access import Perm, require_perm
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.finance.access import access_fund
from safehaven.finance.budgets.forms import YearForm
from safehaven.finance.exceptions import LedgerTampered
from safehaven.finance.statements.pages import fund_statement


@never_cache
@require_GET
def show_fund_statement(request: HttpRequest, fund_id: int) -> HttpResponse:
    fund = access_fund(request, fund_id)
    user = require_perm(request, Perm.MANAGE_FINANCE)
    year_form = YearForm(request.GET or None)
    year = year_form.cleaned_data["year"] if year_form.is_bound and year_form.is_valid() else None
    with transaction.atomic():
        record_event(
            EventType.FUND_STATEMENT_VIEWED,
            actor=user,
            organisation=fund.organisation,
            target=fund,
            detail=f"year {year}" if year else "since it began",
        )
    try:
        statement = fund_statement(fund, year)
        problem = ""
    except LedgerTampered as refusal:
        statement, problem = None, str(refusal)
    context = {
        "fund": fund,
        "statement": statement,
        "problem": problem,
        "year_form": year_form,
        "printed_on": timezone.localdate(),
    }
    return render(request, "finance/statement_fund.html", context)
