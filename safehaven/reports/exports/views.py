"""The figures export page: aggregate figures by year as CSV or HXL-tagged CSV, small cells
suppressed. It asks for the password and the second factor again first
(``accounts.reauth``), on every export; a post that comes too late is dropped and the page
asked for again. In a duress session the file counts nothing (no organisation), as the finance
exports do: the page and the file look the same, empty.

A year not yet finished stops at the end of the last finished quarter, in the reporting time
zone of the first organisation (``csv_files`` says why): the page says so, and so do the file's
name (``...-until-2026-06-30.csv``) and that year's totals row."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safehaven.accounts.access import Perm, require_perm
from safehaven.accounts.models import Organisation, OrganisationKind, User
from safehaven.accounts.reauth import reauthentication_redirect
from safehaven.advocacy.access import organisations_with
from safehaven.core.uploads.served import CSV_TYPE, served_file_response
from safehaven.keys.login_key import is_duress_session
from safehaven.reports.exports.actions import do_export_report
from safehaven.reports.exports.csv_files import FileFormat, cut_short, figures_until
from safehaven.reports.exports.forms import ExportFiguresForm
from safehaven.reports.public_impact.cut_off import reporting_today


def exported_organisations(request: HttpRequest, user: User) -> list[Organisation]:
    """The relocating organisations whose reports the reader may view; none under duress."""
    if is_duress_session(request):
        return []
    held = organisations_with(user, Perm.VIEW_REPORTS)
    return list(held.filter(kind=OrganisationKind.RELOCATING).order_by("pk"))


@never_cache
@require_http_methods(["GET", "POST"])
def export_figures(request: HttpRequest) -> HttpResponse:
    user = require_perm(request, Perm.VIEW_REPORTS)
    again = reauthentication_redirect(request, back_to=reverse("reports-export-figures"))
    if again is not None:
        if request.method == "POST":  # dropped: asked again from the page (accounts/reauth.py)
            messages.info(request, _("Confirm who you are again, then export again."))
        return again
    organisations = exported_organisations(request, user)
    today = reporting_today(organisations)
    until = figures_until(today)
    form = ExportFiguresForm(
        request.POST or None,
        current_year=today.year,
        initial={
            "first_year": today.year - 1,
            "breakdown": "country",
            "file_format": FileFormat.CSV,
        },
    )
    if request.method == "POST" and form.is_valid():
        breakdown, years = form.chosen_breakdown(), form.years()
        file_format = form.cleaned_data["file_format"]
        content = do_export_report(
            organisations,
            breakdown,
            years,
            file_format,
            today=today,
            actor=user,
        )
        span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
        stops = cut_short(years[-1], until)
        if stops is not None:
            span = f"{span}-until-{stops.isoformat()}"
        suffix = "-hxl" if file_format == FileFormat.HXL else ""
        return served_file_response(
            content, CSV_TYPE, f"figures-{breakdown.key}-{span}{suffix}.csv"
        )
    return render(
        request, "reports/export_figures.html", {"form": form, "cut_off": until.isoformat()}
    )
