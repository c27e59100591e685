"""The dashboard's filters: a GET form whose every field is optional but the year, which
defaults to the current one. A value that is not one of the choices is refused with a message,
never silently ignored (figures that quietly dropped a filter would be read as filtered)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import Organisation
from safehaven.countries.models import Crisis
from safehaven.intake.submission.place_names import country_choices
from safehaven.intake.submission.widgets import CachedChoices, CachedSelect
from safehaven.reports.figures.filters import FigureFilters
from safehaven.travel.choices import PathwayKind

# The earliest year anyone would enter a figure for (the organisations' own reports start in
# the 2000s; historical totals may go back a little further).
FIRST_YEAR = 1990
YEARS_SHOWN = 10


@cache
def _country_filter_choices(language: str) -> CachedChoices:
    """Made once per language: some 250 options twice, rendered through a template each, were
    most of the dashboard's time (intake/submission/widgets.py says why)."""
    return CachedChoices([("", _("Any country")), *country_choices()])


class DashboardFilterForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        error_messages={
            "invalid": _("Give the year as four digits, for example 2017."),
            "min_value": _("Give a year from %(limit_value)s on."),
            "max_value": _("Give a year up to %(limit_value)s."),
        },
    )
    country = forms.ChoiceField(label=_("Country of origin"), required=False, widget=CachedSelect)
    destination = forms.ChoiceField(
        label=_("Country of arrival"), required=False, widget=CachedSelect
    )
    pathway = forms.ChoiceField(label=_("Pathway"), required=False)
    partner = forms.ModelChoiceField(
        label=_("Referring partner"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Any partner"),
    )
    crisis = forms.ModelChoiceField(
        label=_("Crisis"),
        queryset=Crisis.objects.none(),
        required=False,
        empty_label=_("Any crisis"),
    )

    def __init__(
        self,
        data: Any,
        *,
        current_year: int,
        partners: Iterable[Organisation],
        crises: Iterable[Crisis],
    ) -> None:
        values = data.copy() if isinstance(data, QueryDict) else dict(data or {})
        if not values.get("year"):
            values["year"] = str(current_year)  # no year asked for: the current one
        super().__init__(values)
        year = self.fields["year"]
        year.validators = [MinValueValidator(FIRST_YEAR), MaxValueValidator(current_year)]
        year.widget.attrs.update({"min": FIRST_YEAR, "max": current_year})
        countries = _country_filter_choices(get_language() or "en")
        self._choices("country", countries)
        self._choices("destination", countries)
        self._choices("pathway", [("", _("Any pathway")), *PathwayKind.choices])
        self._queryset("partner", partners)
        self._queryset("crisis", crises)

    def _choices(self, name: str, choices: Iterable[tuple[str, Any]]) -> None:
        self.fields[name].choices = choices  # type: ignore[attr-defined]

    def _queryset(self, name: str, rows: Iterable[Any]) -> None:
        self.fields[name].queryset = rows  # type: ignore[attr-defined]

    def filters(self) -> FigureFilters:
        data = self.cleaned_data
        return FigureFilters(
            country=data["country"],
            destination=data["destination"],
            pathway=data["pathway"],
            partner_id=data["partner"].pk if data["partner"] else None,
            crisis_id=data["crisis"].pk if data["crisis"] else None,
        )

    def years(self) -> range:
        """The chosen year and the nine before it, oldest first."""
        year: int = self.cleaned_data["year"]
        return range(year - YEARS_SHOWN + 1, year + 1)
