from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safehaven.countries.choices import VALUES_OF_KIND, FactValue, ForWhom
from safehaven.countries.country_pages.actions import FactChange
from safehaven.countries.models import RiskFact

FIRST_YEAR = 1900


class FactChangeForm(forms.Form):
    value = forms.ChoiceField(label=_("Value"))
    prison_years = forms.IntegerField(
        label=_("Prison years (for a prison term)"), required=False, min_value=0, max_value=99
    )
    for_whom = forms.ChoiceField(label=_("For whom"), choices=ForWhom.choices, required=False)
    summary = forms.CharField(label=_("Summary"), max_length=300)
    source = forms.CharField(label=_("Source"), max_length=300)
    source_year = forms.IntegerField(label=_("Year of the source"), min_value=FIRST_YEAR)
    valid_from = forms.DateField(label=_("Valid from (YYYY-MM-DD)"))

    def __init__(self, *args: object, fact: RiskFact, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        allowed = VALUES_OF_KIND.get(fact.kind, frozenset())
        self.fields["value"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in FactValue.choices if value in allowed
        ]

    def clean_source_year(self) -> int:
        year: int = self.cleaned_data["source_year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("The source cannot be from a future year."))
        return year

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("value") == FactValue.PRISON and data.get("prison_years") is None:
            self.add_error("prison_years", _("Give the prison term in years."))
        return data

    def change(self) -> FactChange:
        data = self.cleaned_data
        return FactChange(
            value=data["value"],
            for_whom=data["for_whom"],
            summary=data["summary"],
            source=data["source"],
            source_year=data["source_year"],
            valid_from=data["valid_from"],
            prison_years=data["prison_years"] if data["value"] == FactValue.PRISON else None,
        )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR)

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("Choose this year or an earlier one."))
        return year

    def day(self) -> datetime.date:
        """The last day of the year, or today for the current year."""
        year: int = self.cleaned_data["year"]
        return min(datetime.date(year, 12, 31), timezone.localdate())


class FilterForm(forms.Form):
    criminalising = forms.BooleanField(label=_("Criminalising only"), required=False)
