"""The forms of the goals pages: a year's goal, a historical total, the reporting time zone.
The actions check every rule again; the forms give each field its own error first."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from safehaven.intake.submission.place_names import country_choices
from safehaven.reports.choices import Measure
from safehaven.reports.goals.actions import (
    FIRST_GOAL_YEAR,
    MOST_PEOPLE,
    MOST_RELOCATIONS,
    reporting_zone_names,
)


class YearlyGoalForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_GOAL_YEAR)
    relocations = forms.IntegerField(
        label=_("People to relocate"), min_value=1, max_value=MOST_RELOCATIONS
    )

    def __init__(self, *args: Any, last_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        year.validators.append(MaxValueValidator(last_year))
        year.widget.attrs["max"] = last_year
        year.initial = last_year - 1


class HistoricalTotalForm(forms.Form):
    measure = forms.ChoiceField(label=_("What the total counts"), choices=Measure.choices)
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=MOST_PEOPLE)
    period_start = forms.DateField(label=_("Period starts on (YYYY-MM-DD)"))
    period_end = forms.DateField(label=_("Period ends on (YYYY-MM-DD)"))
    country = forms.ChoiceField(
        label=_("Country of origin"),
        required=False,
        help_text=_("Only if the total is for one country; leave empty for all of them."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_(
            "Where the number comes from, e.g. “Annual report 2016”. Never name or describe "
            "a person."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [  # type: ignore[attr-defined]
            ("", _("All countries")),
            *country_choices(),
        ]


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in reporting_zone_names()]


class ReportingSettingsForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Reporting time zone"),
        help_text=_(
            "Months and years are counted in this time zone: someone who arrives late on "
            "31 December here counts in that year."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()  # type: ignore[attr-defined]
