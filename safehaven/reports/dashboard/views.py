"""The staff reports dashboard: the funnel, time to safety, backlog, goal and advocacy
outcomes of the organisations where the reader may view reports, as charts with table views.

Readers who may not open cases, and every duress session, see counts under 5 hidden
(``dashboard/shown.py``). A duress session sees the real figures so hidden, not zeros: the
public impact page shows real totals in the same browser, and zeros here would tell a coercer
comparing the two that the session is fake. Its partner filter lists no partner, as the
partner pages list none under duress; its crisis filter lists the crises, as the staff crisis
list does under duress (and open crises have public pages)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safehaven.accounts.access import Perm, has_perm, has_perm_in, require_perm
from safehaven.accounts.models import Organisation, OrganisationKind, User
from safehaven.advocacy.access import organisations_with
from safehaven.countries.models import Crisis
from safehaven.keys.login_key import is_duress_session
from safehaven.partners.vetting.queries import partner_organisations
from safehaven.reports.dashboard.forms import DashboardFilterForm
from safehaven.reports.dashboard.pages import dashboard_page
from safehaven.reports.figures.zones import reporting_today


def reported_organisations(user: User) -> QuerySet[Organisation]:
    """The relocating organisations whose figures the reader sees."""
    return organisations_with(user, Perm.VIEW_REPORTS).filter(kind=OrganisationKind.RELOCATING)


def sees_small_counts(request: HttpRequest, user: User, organisations: list[Organisation]) -> bool:
    """Whether the reader sees counts under 5 exactly: only those who open cases in every
    organisation reported on (and so see each of its cases already), never under duress."""
    if is_duress_session(request) or not has_perm(user, Perm.OPEN_CASES):
        return False
    return all(has_perm_in(user, Perm.OPEN_CASES, each) for each in organisations)


@require_GET
def show_dashboard(request: HttpRequest) -> HttpResponse:
    user = require_perm(request, Perm.VIEW_REPORTS)
    organisations = list(reported_organisations(user))
    today = reporting_today(organisations)
    duress = is_duress_session(request)
    form = DashboardFilterForm(
        request.GET,
        current_year=today.year,
        partners=Organisation.objects.none()
        if duress
        else partner_organisations().order_by("name"),
        crises=Crisis.objects.order_by("-starts_on", "name"),
    )
    page = None
    if form.is_valid():
        page = dashboard_page(
            organisations,
            form.filters(),
            form.years(),
            today,
            suppress=not sees_small_counts(request, user, organisations),
        )
    context = {
        "form": form,
        "page": page,
        "may_manage": has_perm(user, Perm.MANAGE_REPORTS),
    }
    return render(request, "reports/dashboard.html", context)
