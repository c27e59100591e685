"""The export page's form: what to export and, optionally, the days it covers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.finance.exports.csv_files import KINDS, ExportKind, Period
from safehaven.finance.funds.forms import DateInput


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What"),
        choices=[(key, kind.label) for key, kind in KINDS.items()],
        widget=forms.RadioSelect,
    )
    starts_on = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput,
        help_text=_("Grants by the day they were asked for, payments by the day paid."),
    )
    ends_on = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day comes before the first."))
        return data

    def export_kind(self) -> ExportKind:
        return KINDS[self.cleaned_data["kind"]]

    def period(self) -> Period:
        return Period(self.cleaned_data.get("starts_on"), self.cleaned_data.get("ends_on"))
