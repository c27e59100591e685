"""The public crisis page: no login, no cookie, the public form's guards (GET only here)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from safehaven.core.compression import compressed_when_read
from safehaven.core.public_forms.same_origin import public_form
from safehaven.countries.crises.inflow import today_utc
from safehaven.countries.crises.matching import crises_active_on
from safehaven.countries.crisis_pages.places import crisis_places
from safehaven.countries.models import Crisis


def open_crisis(crisis_id: int) -> Crisis:
    """The crisis while it lasts; 404 for one unknown, ended or not started yet (the same
    answer for each: the page of an ended crisis must not say that it was one)."""
    crisis = (
        crises_active_on(today_utc())
        .prefetch_related("countries", "regions")
        .filter(pk=crisis_id)
        .first()
    )
    if crisis is None:
        raise Http404
    return crisis


@public_form("GET", "HEAD")
@compressed_when_read  # what it shows was chosen by an administrator, not by the visitor
def show_crisis_page(request: HttpRequest, crisis_id: int) -> HttpResponse:
    crisis = open_crisis(crisis_id)
    context = {
        "public_page": True,
        "crisis": crisis,
        "places": crisis_places(crisis, get_language() or "en"),
    }
    return render(request, "countries/crisis_page.html", context)
