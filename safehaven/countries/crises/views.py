"""Crises: administrators list, record and change them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from safehaven.accounts.actions import ActionRefused
from safehaven.countries.access import access_crisis, require_editor
from safehaven.countries.crises.actions import do_change_crisis, do_record_crisis
from safehaven.countries.crises.forms import CrisisForm
from safehaven.countries.models import Crisis
from safehaven.keys.login_key import is_duress_session


@require_GET
def list_crises(request: HttpRequest) -> HttpResponse:
    require_editor(request)
    crises = Crisis.objects.prefetch_related("countries", "regions")
    return render(request, "countries/crisis_list.html", {"crises": crises})


@require_http_methods(["GET", "POST"])
def record_crisis(request: HttpRequest) -> HttpResponse:
    actor = require_editor(request)
    form = CrisisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # A coerced administrator is told it was saved and changes nothing (SECURITY.md T4).
            if not is_duress_session(request):
                do_record_crisis(form.details(), actor=actor)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Crisis recorded."))
            return redirect("countries-list-crises")
    return render(request, "countries/crisis_form.html", {"form": form, "crisis": None})


@require_http_methods(["GET", "POST"])
def change_crisis(request: HttpRequest, crisis_id: int) -> HttpResponse:
    crisis = access_crisis(request, crisis_id)
    actor = require_editor(request)
    form = CrisisForm.for_crisis(crisis, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if not is_duress_session(request):
                do_change_crisis(crisis, form.details(), actor=actor)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Crisis changed."))
            return redirect("countries-list-crises")
    return render(request, "countries/crisis_form.html", {"form": form, "crisis": crisis})
