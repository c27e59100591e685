"""A place's contribution to a request's risk score, term by term (docs/countries.md).

The country's worst national fact gives one term; a region's worst fact replaces it when it
weighs more, never adds to it: a person in Chechnya is not also counted as a person in Russia.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from safehaven.countries.choices import FactKind, FactValue
from safehaven.countries.models import Region, RiskFact
from safehaven.countries.queries import facts_on

# (kind, value) -> points. Anything absent weighs nothing.
NATIONAL_POINTS: dict[tuple[str, str], int] = {
    (FactKind.MAX_PENALTY, FactValue.DEATH_IN_FORCE): 40,
    (FactKind.MAX_PENALTY, FactValue.DEATH_POSSIBLE): 35,
    (FactKind.CRIMINALISATION, FactValue.CRIMINALISED): 25,
    (FactKind.CRIMINALISATION, FactValue.CRIMINALISED_DE_FACTO): 20,
}
REGIONAL_POINTS: dict[tuple[str, str], int] = {
    (FactKind.STATE_PERSECUTION, FactValue.STATE_PERSECUTION): 40,
    (FactKind.MAX_PENALTY, FactValue.DEATH_IN_FORCE): 40,
    (FactKind.MAX_PENALTY, FactValue.DEATH_POSSIBLE): 35,
    (FactKind.CRIMINALISATION, FactValue.CRIMINALISED): 25,
    (FactKind.CRIMINALISATION, FactValue.CRIMINALISED_DE_FACTO): 20,
}


@dataclass(frozen=True)
class RiskTerm:
    label: str
    points: int
    source: str


def _worst(facts: list[RiskFact], points: dict[tuple[str, str], int]) -> RiskFact | None:
    weighed = [f for f in facts if (f.kind, f.value) in points]
    return max(weighed, key=lambda f: points[(f.kind, f.value)], default=None)


def place_risk_terms(
    country_code: str, region_code: str | None = None, on: datetime.date | None = None
) -> list[RiskTerm]:
    """The place's terms on ``on`` (today by default): one term, national or regional."""
    facts = facts_on(country_code, region_code, on)
    national = _worst([f for f in facts if f.region_id is None], NATIONAL_POINTS)
    regional = _worst([f for f in facts if f.region_id is not None], REGIONAL_POINTS)
    if not facts:
        return [RiskTerm(_("No risk facts recorded for this country"), 0, "")]
    national_points = NATIONAL_POINTS[(national.kind, national.value)] if national else 0
    if regional and REGIONAL_POINTS[(regional.kind, regional.value)] > national_points:
        return [
            RiskTerm(
                _("%(region)s: %(fact)s")
                % {
                    "region": regional.region.name if regional.region else "",
                    "fact": regional.get_value_display(),
                },
                REGIONAL_POINTS[(regional.kind, regional.value)],
                regional.source,
            )
        ]
    if national is None:
        legal = next((f for f in facts if f.region_id is None), None)
        return [RiskTerm(_("Same-sex intimacy not criminalised"), 0, legal.source if legal else "")]
    return [RiskTerm(str(national.get_value_display()), national_points, national.source)]


def regions_for_public_form(country_code: str) -> list[tuple[str, str]]:
    """(code, name) of the coarse regions the public form offers for the country: those with
    facts of their own. Empty when the country has none."""
    regions = Region.objects.filter(
        country_id=country_code, offered_on_public_form=True, facts__isnull=False
    ).distinct()
    return [(region.code, region.name) for region in regions.order_by("name")]


def public_form_regions() -> dict[str, list[tuple[str, str]]]:
    """Every country's ``regions_for_public_form`` at once (one query): country code -> the
    (code, name) pairs of its regions with facts, by name."""
    regions = Region.objects.filter(offered_on_public_form=True, facts__isnull=False).distinct()
    offered: dict[str, list[tuple[str, str]]] = {}
    for region in regions.order_by("country_id", "name"):
        offered.setdefault(region.country_id, []).append((region.code, region.name))
    return offered
