"""Staff pages about countries: anyone with a role reads, administrators change a fact."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from safehaven.accounts.actions import ActionRefused
from safehaven.countries.access import (
    access_country,
    access_risk_fact,
    can_edit,
    require_reader,
)
from safehaven.countries.country_pages.actions import do_change_risk_fact
from safehaven.countries.country_pages.forms import FactChangeForm, FilterForm, YearForm
from safehaven.countries.country_pages.pages import country_page, country_rows
from safehaven.countries.queries import figures_for
from safehaven.countries.risk import place_risk_terms
from safehaven.keys.login_key import is_duress_session


@require_GET
def list_countries(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    form = FilterForm(request.GET)
    only = form.is_valid() and form.cleaned_data["criminalising"]
    rows = country_rows(criminalising_only=only)
    return render(request, "countries/country_list.html", {"rows": rows, "form": form})


@require_GET
def show_country(request: HttpRequest, iso2: str) -> HttpResponse:
    country = access_country(request, iso2)
    page = country_page(country)
    terms = place_risk_terms(country.iso2)
    context = {"page": page, "terms": terms, "can_edit": can_edit(request)}
    return render(request, "countries/country_show.html", context)


@require_GET
def show_figures(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    form = YearForm(request.GET if "year" in request.GET else None)
    day = form.day() if form.is_valid() else timezone.localdate()
    return render(request, "countries/figures.html", {"form": form, "figures": figures_for(day)})


@require_http_methods(["GET", "POST"])
def change_fact(request: HttpRequest, fact_id: int) -> HttpResponse:
    fact = access_risk_fact(request, fact_id)
    form = FactChangeForm(request.POST or None, fact=fact)
    if request.method == "POST" and form.is_valid():
        try:
            # A coerced administrator is told it was saved and changes nothing (SECURITY.md T4).
            if not is_duress_session(request):
                do_change_risk_fact(fact, form.change(), actor=request.user)  # type: ignore[arg-type]
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Fact changed; the previous one is kept in the history."))
            return redirect("countries-show-country", iso2=fact.country_id)
    return render(request, "countries/fact_change.html", {"fact": fact, "form": form})
