"""What was true of a place on a given day, and the counts of a given day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from safehaven.countries.choices import FactKind, FactValue
from safehaven.countries.models import RiskFact

CRIMINALISING = (FactValue.CRIMINALISED, FactValue.CRIMINALISED_DE_FACTO)


def valid_on(day: datetime.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def facts_on(
    country_code: str, region_code: str | None = None, on: datetime.date | None = None
) -> list[RiskFact]:
    """The country's national facts on ``on`` (today by default), then the region's if one is
    named and belongs to the country."""
    day = on or timezone.localdate()
    places = Q(region__isnull=True)
    if region_code:
        places |= Q(region_id=region_code)
    facts = RiskFact.objects.filter(valid_on(day), places, country_id=country_code)
    return list(facts.select_related("region").order_by("region_id", "kind"))


def national_facts_on(day: datetime.date) -> QuerySet[RiskFact]:
    return RiskFact.objects.filter(valid_on(day), region__isnull=True)


@dataclass(frozen=True)
class Figures:
    """Counts over UN member states on one day, and the facts counted (each with its source)."""

    on: datetime.date
    criminalising: int
    death_in_force: int
    death_possible: int
    facts: list[RiskFact]


def figures_for(on: datetime.date) -> Figures:
    counted = (
        national_facts_on(on)
        .filter(country__un_member=True)
        .filter(
            Q(kind=FactKind.CRIMINALISATION, value__in=CRIMINALISING)
            | Q(
                kind=FactKind.MAX_PENALTY,
                value__in=(FactValue.DEATH_IN_FORCE, FactValue.DEATH_POSSIBLE),
            )
        )
        .select_related("country")
        .order_by("country__name", "kind")
    )
    facts = list(counted)

    def count(kind: str, values: tuple[str, ...]) -> int:
        return len({f.country_id for f in facts if f.kind == kind and f.value in values})

    return Figures(
        on=on,
        criminalising=count(FactKind.CRIMINALISATION, CRIMINALISING),
        death_in_force=count(FactKind.MAX_PENALTY, (FactValue.DEATH_IN_FORCE,)),
        death_possible=count(FactKind.MAX_PENALTY, (FactValue.DEATH_POSSIBLE,)),
        facts=facts,
    )


@dataclass(frozen=True)
class HostilePlaces:
    """Where a person must not be sent through: countries that criminalise same-sex intimacy or
    persecute without a law, and regions (ISO 3166-2) hostile where their country is not."""

    countries: frozenset[str]
    regions: frozenset[str]


def hostile_places_on(day: datetime.date | None = None) -> HostilePlaces:
    """Hostile places on ``day`` (today by default), in one query. Facts for any person count,
    whatever ``for_whom`` says: the planner does not know who travels."""
    rows = (
        RiskFact.objects.filter(valid_on(day or timezone.localdate()))
        .filter(
            Q(kind=FactKind.CRIMINALISATION, value__in=CRIMINALISING)
            | Q(kind=FactKind.STATE_PERSECUTION)
        )
        .values_list("country_id", "region_id")
    )
    places = list(rows)
    countries = frozenset(country for country, region in places if region is None)
    regions = frozenset(
        region for country, region in places if region is not None and country not in countries
    )
    return HostilePlaces(countries=countries, regions=regions)
