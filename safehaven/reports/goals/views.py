"""Yearly goals, historical totals and the reporting time zone, for administrators of the
relocating organisation. A coerced administrator (a duress session) is told each change was
saved and nothing changes (SECURITY.md T4); the figures themselves are not secret."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safehaven.accounts.actions import ActionRefused
from safehaven.keys.login_key import is_duress_session
from safehaven.reports.goals.access import access_historical_total, reporting_organisation
from safehaven.reports.goals.actions import (
    do_change_reporting_settings,
    do_record_historical_total,
    do_remove_historical_total,
    do_set_yearly_goal,
    reporting_today,
)
from safehaven.reports.goals.forms import (
    HistoricalTotalForm,
    ReportingSettingsForm,
    YearlyGoalForm,
)
from safehaven.reports.models import HistoricalTotal, ReportingSettings, YearlyGoal


@require_http_methods(["GET", "POST"])
def list_goals(request: HttpRequest) -> HttpResponse:
    actor, organisation = reporting_organisation(request)
    form = YearlyGoalForm(request.POST or None, last_year=reporting_today([organisation]).year + 1)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if not is_duress_session(request):
                do_set_yearly_goal(organisation, data["year"], data["relocations"], actor=actor)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Goal saved."))
            return redirect("reports-list-goals")
    settings_row = ReportingSettings.objects.filter(organisation=organisation).first()
    context = {
        "organisation": organisation,
        "form": form,
        "goals": YearlyGoal.objects.filter(organisation=organisation),
        "totals": HistoricalTotal.objects.filter(
            organisation=organisation, removed_at__isnull=True
        ),
        "time_zone": settings_row.time_zone if settings_row else "UTC",
    }
    return render(request, "reports/goal_list.html", context)


@require_http_methods(["GET", "POST"])
def record_historical_total(request: HttpRequest) -> HttpResponse:
    actor, organisation = reporting_organisation(request)
    form = HistoricalTotalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if not is_duress_session(request):
                do_record_historical_total(organisation, actor=actor, **form.cleaned_data)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Historical total recorded."))
            return redirect("reports-list-goals")
    return render(request, "reports/historical_total_form.html", {"form": form})


@require_POST
def remove_historical_total(request: HttpRequest, total_id: int) -> HttpResponse:
    total = access_historical_total(request, total_id)
    actor, _organisation = reporting_organisation(request)
    try:
        if not is_duress_session(request):
            do_remove_historical_total(total, actor=actor)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Historical total removed."))
    return redirect("reports-list-goals")


@require_http_methods(["GET", "POST"])
def change_reporting_settings(request: HttpRequest) -> HttpResponse:
    actor, organisation = reporting_organisation(request)
    current = ReportingSettings.objects.filter(organisation=organisation).first()
    form = ReportingSettingsForm(
        request.POST or None, initial={"time_zone": current.time_zone if current else "UTC"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            if not is_duress_session(request):
                do_change_reporting_settings(
                    organisation, time_zone=form.cleaned_data["time_zone"], actor=actor
                )
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Reporting settings saved."))
            return redirect("reports-list-goals")
    return render(request, "reports/reporting_settings_form.html", {"form": form})
