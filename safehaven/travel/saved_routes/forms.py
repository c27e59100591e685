"""The forms of saved routes: saving one from the planner's results (the planner's question
again, with the chosen route's key), a supervisor's override and a withdrawal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safehaven.countries.models import Region
from safehaven.intake.status_page.forms import MESSAGE_MAX_LENGTH
from safehaven.intake.submission.fields import CleanTextField
from safehaven.intake.submission.place_names import country_choices
from safehaven.travel.routes.plan import Traveller

ROUTE_KEY_MAX_LENGTH = 2000


class SaveRouteForm(forms.Form):
    """Posted by the planner's results page, hidden fields only."""

    origin_country = forms.ChoiceField()
    origin_region = forms.CharField(required=False, max_length=8)
    citizenships = forms.MultipleChoiceField(required=False)
    passports = forms.MultipleChoiceField(required=False)
    visas = forms.MultipleChoiceField(required=False)
    route_key = forms.CharField(max_length=ROUTE_KEY_MAX_LENGTH)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = country_choices()
        for name in ("origin_country", "citizenships", "passports", "visas"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
            field.choices = countries

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region, country = data.get("origin_region"), data.get("origin_country")
        if region and country and not Region.objects.filter(code=region, country_id=country):
            self.add_error("origin_region", _("This region is not in the country chosen above."))
        return data

    def traveller(self) -> Traveller:
        data = self.cleaned_data
        return Traveller(
            origin_country=data["origin_country"],
            origin_region=data.get("origin_region") or "",
            passports=tuple(data["passports"]),
            visas=tuple(data["visas"]),
            citizenships=tuple(data["citizenships"]),
        )


class RouteReasonForm(forms.Form):
    reason = CleanTextField(
        label=_("Reason"),
        help_text=_(
            "Sealed with the route: only those who open this case's travel records read it."
        ),
        multiline=True,
        max_length=MESSAGE_MAX_LENGTH,
    )
