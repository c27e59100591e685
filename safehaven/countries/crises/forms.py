from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.core.ids import IdsChoiceField
from safehaven.countries.crises.actions import CrisisDetails
from safehaven.countries.models import Country, Crisis, Region


class CrisisForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("Shown on the crisis's public page while the crisis lasts."),
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"), queryset=Country.objects.order_by("name")
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"), queryset=Region.objects.select_related("country"), required=False
    )
    starts_on = forms.DateField(label=_("Starts on (YYYY-MM-DD)"))
    ends_on = forms.DateField(label=_("Ends on (YYYY-MM-DD, empty while it lasts)"), required=False)
    partner_organisations = IdsChoiceField(
        label=_("Partner organisations working in the crisis"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.PARTNER).order_by("name"),
        required=False,
    )

    @classmethod
    def for_crisis(cls, crisis: Crisis, data: Mapping[str, Any] | None = None) -> CrisisForm:
        initial = {
            "name": crisis.name,
            "countries": list(crisis.countries.all()),
            "regions": list(crisis.regions.all()),
            "starts_on": crisis.starts_on,
            "ends_on": crisis.ends_on,
            "partner_organisations": list(crisis.partner_organisations.all()),
        }
        return cls(data, initial=initial)

    def details(self) -> CrisisDetails:
        data = self.cleaned_data
        return CrisisDetails(
            name=data["name"],
            countries=list(data["countries"]),
            regions=list(data["regions"]),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            partner_organisations=list(data["partner_organisations"]),
        )
