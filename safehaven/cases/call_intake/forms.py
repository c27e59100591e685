"""The form staff fill in after a phone call: the public form's country list, languages and
risk indicators, so that the case is scored the way a request is."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safehaven.cases.opening.actions import CallDetails
from safehaven.intake.choices import RiskIndicator
from safehaven.intake.submission.fields import (
    CleanTextField,
    PlainChoiceField,
    PlainMultipleChoiceField,
    WholeNumberField,
)
from safehaven.intake.submission.forms import MAX_COMPANIONS
from safehaven.intake.submission.place_names import country_choices, language_choices
from safehaven.intake.submission.risk import assess_risk
from safehaven.intake.submission.widgets import CachedChoices, CachedSelect


@cache
def _country_choices(language: str) -> CachedChoices:
    """Made once per language, rendered without a template per option (widgets.py)."""
    return CachedChoices([("", _("Choose a country")), *country_choices()])


class CallIntakeForm(forms.Form):
    country = PlainChoiceField(label=_("Country they are in now"), widget=CachedSelect)
    region = CleanTextField(label=_("Region or province"), required=False, max_length=200)
    languages = PlainMultipleChoiceField(
        label=_("Languages they speak"), required=False, widget=forms.CheckboxSelectMultiple
    )
    citizenships = CleanTextField(label=_("Citizenships"), required=False, max_length=200)
    summary = CleanTextField(label=_("What they told you"), multiline=True, max_length=5000)
    contacts = CleanTextField(
        label=_("Safe ways to reach them, and when"),
        multiline=True,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    risk_indicators = PlainMultipleChoiceField(
        label=_("What is true for them"),
        choices=RiskIndicator.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    companions = WholeNumberField(
        label=_("People who would travel with them"),
        required=False,
        min_value=0,
        max_value=MAX_COMPANIONS,
    )
    reason = CleanTextField(
        label=_("Why this call becomes a case"),
        help_text=_("Kept with the case, for the team."),
        multiline=True,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        languages = self.fields["languages"]
        assert isinstance(country, forms.ChoiceField)  # noqa: S101 - declared above
        assert isinstance(languages, forms.ChoiceField)  # noqa: S101 - declared above
        country.choices = _country_choices(get_language() or "en")
        languages.choices = language_choices()

    def to_details(self) -> CallDetails:
        data = self.cleaned_data
        # Scored by intake's own function, as the public form scores a request.
        risk = assess_risk(data["risk_indicators"], companions=data["companions"] or 0)
        return CallDetails(
            country=data["country"],
            languages=list(data["languages"]),
            summary=data["summary"],
            region=data["region"],
            citizenships=data["citizenships"],
            contacts=data["contacts"],
            risk_score=risk.score,
        )
