"""Crises: administrators list, record and change them."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language_info, override
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from safehaven.accounts.actions import ActionRefused
from safehaven.countries.access import access_crisis, require_editor
from safehaven.countries.crises.actions import do_change_crisis, do_record_crisis
from safehaven.countries.crises.forms import CrisisForm
from safehaven.countries.crises.inflow import today_utc
from safehaven.countries.crises.matching import is_active_on
from safehaven.countries.models import Crisis
from safehaven.keys.login_key import is_duress_session


@require_GET
def list_crises(request: HttpRequest) -> HttpResponse:
    require_editor(request)
    crises = Crisis.objects.prefetch_related("countries", "regions", "partner_organisations")
    today = today_utc()
    # Only a crisis on today has a public page (the page of any other answers 404).
    listed = [
        {
            "crisis": crisis,
            "public_pages": _public_pages(request, crisis) if is_active_on(crisis, today) else [],
        }
        for crisis in crises
    ]
    return render(request, "countries/crisis_list.html", {"crises": listed})


def _public_pages(request: HttpRequest, crisis: Crisis) -> list[dict[str, str]]:
    """The full address of the crisis's public page in each public language, to share."""
    pages = []
    for code, _name in settings.LANGUAGES:
        with override(code):
            path = reverse("countries-show-crisis-page", kwargs={"crisis_id": crisis.pk})
        pages.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": request.build_absolute_uri(path),
            }
        )
    return pages


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
