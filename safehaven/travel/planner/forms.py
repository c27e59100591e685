"""The planner's question: where the person is and which papers they hold, chosen from lists
(country codes, the regions ``countries`` knows), never typed."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safehaven.countries.models import Region
from safehaven.intake.submission.fields import PlainChoiceField, PlainMultipleChoiceField
from safehaven.intake.submission.place_names import country_choices
from safehaven.intake.submission.region_names import region_name
from safehaven.intake.submission.widgets import (
    CachedChoices,
    CachedSelect,
    CachedSelectMultiple,
)
from safehaven.travel.routes.plan import Traveller

LIST_SIZE = 8


@cache
def _countries(language: str) -> CachedChoices:
    """Every known country, named in the page's language and sorted (made once per language)."""
    return CachedChoices(country_choices())


@cache
def _origins(language: str) -> CachedChoices:
    return CachedChoices([("", _("Choose a country")), *country_choices()])


def region_choices() -> list[tuple[str, Any]]:
    """The regions ``countries`` knows, grouped under their country's name."""
    names = dict(country_choices())
    grouped: dict[str, list[tuple[str, str]]] = {}
    for region in Region.objects.order_by("country_id", "name"):
        grouped.setdefault(region.country_id, []).append(
            (region.code, region_name(region.code, region.name))
        )
    groups = sorted(grouped.items(), key=lambda item: names.get(item[0], item[0]).casefold())
    return [
        ("", _("Not known, or none of these")),
        *((names.get(country, country), regions) for country, regions in groups),
    ]


class PlannerForm(forms.Form):
    origin_country = PlainChoiceField(
        label=_("Country the person is in now"),
        widget=CachedSelect,
        error_messages={"required": _("Choose the country the person is in now.")},
    )
    origin_region = PlainChoiceField(
        label=_("Region (when it has facts of its own)"),
        required=False,
        help_text=_("A region can be more dangerous than the rest of its country."),
    )
    citizenships = PlainMultipleChoiceField(
        label=_("Citizenships"),
        required=False,
        widget=CachedSelectMultiple(attrs={"size": LIST_SIZE}),
    )
    passports = PlainMultipleChoiceField(
        label=_("Valid passports held"),
        required=False,
        widget=CachedSelectMultiple(attrs={"size": LIST_SIZE}),
        help_text=_(
            "Only passports the person holds now and that will still be valid when they "
            "travel. Without one, no travel route exists yet."
        ),
    )
    visas = PlainMultipleChoiceField(
        label=_("Valid visas or residence permits held"),
        required=False,
        widget=CachedSelectMultiple(attrs={"size": LIST_SIZE}),
        help_text=_("The countries they admit the person to."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        for name in ("origin_country", "citizenships", "passports", "visas"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
            field.choices = _origins(language) if name == "origin_country" else _countries(language)
        region = self.fields["origin_region"]
        assert isinstance(region, forms.ChoiceField)  # noqa: S101 - declared above
        region.choices = region_choices()

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
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
