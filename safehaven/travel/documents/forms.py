"""The form that records a travel document of a person of the case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.cases.models import Case, CasePerson
from safehaven.countries.models import Country
from safehaven.travel.choices import TravelDocumentKind


class PersonChoiceField(forms.ModelChoiceField):
    """A person of the case, named only by their place in it (their names are sealed)."""

    def label_from_instance(self, obj: Any) -> str:
        if obj.is_primary:
            return str(_("Main person"))
        return str(_("Household member #%(number)s") % {"number": obj.pk})


class CountryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.iso2})"


class AddTravelDocumentForm(forms.Form):
    person = PersonChoiceField(
        label=_("Whose"), queryset=CasePerson.objects.none(), required=False, empty_label="—"
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=TravelDocumentKind.choices)
    issuing_country = CountryChoiceField(
        label=_("Issued by"),
        queryset=Country.objects.all(),
        required=False,
        empty_label="—",
        help_text=_("Needed for a passport or travel document."),
    )
    for_country = CountryChoiceField(
        label=_("For the country"),
        queryset=Country.objects.all(),
        required=False,
        empty_label="—",
        help_text=_("Needed for a visa or residence permit."),
    )
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": _("Give the date as YYYY-MM-DD."),
            "required": _("Please fill this in."),
        },
    )
    field_order = ["person", "kind", "issuing_country", "for_country", "number", "valid_until"]

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = case.people.order_by("-is_primary", "pk")  # type: ignore[attr-defined]
