"""The crisis dashboard: the crises, and for one of them its inflow per day, its triage
backlog, who handles its cases and what its partner organisations referred. Counts only.

In a duress session (a coerced login) every count is 0 and nobody is listed, as every list of
requests and cases is empty there: the figures a coercer sees agree with the lists they
would open next, and say nothing real."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from safehaven.accounts.access import Perm, current_user, has_perm, require_perm
from safehaven.countries.models import CrisisInflow
from safehaven.keys.login_key import is_duress_session
from safehaven.reports.charts.svg import Bar, bar_chart
from safehaven.reports.crisis_dashboard.access import (
    access_reported_crisis,
    reported_organisation_ids,
)
from safehaven.reports.crisis_dashboard.queries import (
    CrisisScope,
    crisis_dashboard,
    crisis_summaries,
)


def counter_day() -> datetime.date:
    """Today as ``CrisisInflow`` counts its days: in UTC."""
    return timezone.now().astimezone(datetime.UTC).date()


@require_GET
def list_crises(request: HttpRequest) -> HttpResponse:
    require_perm(request, Perm.VIEW_REPORTS)
    inflow = CrisisInflow.objects.none() if is_duress_session(request) else CrisisInflow.objects
    summaries = crisis_summaries(inflow.all(), counter_day())
    return render(request, "reports/crisis_list.html", {"summaries": summaries})


@require_GET
def show_crisis(request: HttpRequest, crisis_id: int) -> HttpResponse:
    crisis = access_reported_crisis(request, crisis_id)
    reader = current_user(request)
    if is_duress_session(request):
        scope = CrisisScope.nothing(crisis)
    else:
        scope = CrisisScope.for_reader(crisis, reported_organisation_ids(reader))
    today = counter_day()
    dashboard = crisis_dashboard(scope, today)
    rows = [(day.isoformat(), count) for day, count in dashboard.inflow]
    title = _("Requests per day")
    chart = bar_chart(
        [Bar(label, count) for label, count in rows],
        title=title,
        description=_("Requests received in the crisis on each of its last %(days)d days.")
        % {"days": len(rows)},
    )
    context = {
        "dashboard": dashboard,
        "inflow_chart": chart,
        "inflow_rows": rows,
        "inflow_title": title,
        "inflow_today": dict(dashboard.inflow).get(today, 0),
        # The lists where the work is done (and triage's bulk tools), for those who may.
        "may_triage": has_perm(reader, Perm.TRIAGE_REQUESTS),
        "may_open_cases": has_perm(reader, Perm.OPEN_CASES),
    }
    return render(request, "reports/crisis_dashboard.html", context)
