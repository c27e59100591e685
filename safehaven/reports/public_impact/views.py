"""The public impact page: open to anyone, like the landing page (no login, GET only, no cookie,
no form, compressed since it holds no secret and nothing anyone typed into it).

The browser is told not to keep it (``Cache-Control: no-store``, as every page here): though the
figures change only each quarter, a copy in a seized phone's cache says that its owner read an
LGBTQ+ relocation organisation's pages. The server keeps the counted figures a few minutes
instead (``figures.kept_impact_figures``). The quarter ends in the reporting time zone of the
(first) relocating organisation, as the dashboard's year does (``cut_off.reporting_today``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safehaven.core.compression import compressed_when_read
from safehaven.reports.public_impact.cut_off import quarter_end_before, reporting_today
from safehaven.reports.public_impact.figures import kept_impact_figures
from safehaven.reports.public_impact.page import impact_page


@login_not_required
@require_safe
@compressed_when_read
def show_impact(request: HttpRequest) -> HttpResponse:
    figures = kept_impact_figures(quarter_end_before(reporting_today()))
    context = {"public_page": True, "page": impact_page(figures)}
    return render(request, "reports/public_impact.html", context)
