"""The export page's form: the years (one, or a range), the breakdown and the file format."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from safehaven.reports.exports.csv_files import BREAKDOWNS, Breakdown, FileFormat

# The earliest year a figure may be asked for (historical totals reach back to the 2000s).
FIRST_YEAR = 1990
# The most years one file holds (each is its own table).
MOST_YEARS = 30

YEAR_ERRORS = {
    "invalid": _("Give the year as four digits, for example 2017."),
    "min_value": _("Give a year from %(limit_value)s on."),
    "max_value": _("Give a year up to %(limit_value)s."),
}


class ExportFiguresForm(forms.Form):
    first_year = forms.IntegerField(
        label=_("From the year"), min_value=FIRST_YEAR, error_messages=YEAR_ERRORS
    )
    last_year = forms.IntegerField(
        label=_("To the year"),
        required=False,
        min_value=FIRST_YEAR,
        error_messages=YEAR_ERRORS,
        help_text=_("Leave empty for one year. Each year is its own table."),
    )
    breakdown = forms.ChoiceField(
        label=_("By"),
        choices=[(key, breakdown.label) for key, breakdown in BREAKDOWNS.items()],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the listed breakdowns.")},
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=FileFormat.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose CSV or CSV with HXL hashtags.")},
    )

    def __init__(self, *args: Any, current_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first_year", "last_year"):
            field = self.fields[name]
            field.widget.attrs["max"] = current_year
            field.validators.append(MaxValueValidator(current_year))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None:
            if last < first:
                self.add_error("last_year", _("The last year comes before the first."))
            elif last - first + 1 > MOST_YEARS:
                self.add_error(
                    "last_year",
                    _("One file holds at most %(count)s years.") % {"count": MOST_YEARS},
                )
        return data

    def years(self) -> range:
        first = self.cleaned_data["first_year"]
        last = self.cleaned_data.get("last_year") or first
        return range(first, last + 1)

    def chosen_breakdown(self) -> Breakdown:
        return BREAKDOWNS[self.cleaned_data["breakdown"]]
