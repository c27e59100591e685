"""What the country pages show, built here so the views stay thin."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.utils import timezone

from safehaven.countries.choices import FactKind
from safehaven.countries.models import Country, RiskFact
from safehaven.countries.queries import CRIMINALISING, national_facts_on


@dataclass(frozen=True)
class CountryRow:
    country: Country
    facts: list[RiskFact]


def country_rows(*, criminalising_only: bool) -> list[CountryRow]:
    """Every country with its current national facts, one query."""
    today = timezone.localdate()
    facts = national_facts_on(today).select_related("country").order_by("country__name", "kind")
    by_country = {
        iso2: list(group) for iso2, group in groupby(facts, key=lambda fact: fact.country_id)
    }
    rows = [CountryRow(c, by_country.get(c.iso2, [])) for c in Country.objects.order_by("name")]
    if criminalising_only:
        rows = [
            row
            for row in rows
            if any(
                f.kind == FactKind.CRIMINALISATION and f.value in CRIMINALISING for f in row.facts
            )
        ]
    return rows


@dataclass(frozen=True)
class CountryPage:
    country: Country
    current: list[RiskFact]
    regional: list[RiskFact]
    history: list[RiskFact]
    today: datetime.date


def country_page(country: Country) -> CountryPage:
    today = timezone.localdate()
    every = list(
        RiskFact.objects.filter(country=country)
        .select_related("region", "changed_by")
        .order_by("region__name", "kind", "-valid_from")
    )
    now = [fact for fact in every if fact.is_valid_on(today)]
    return CountryPage(
        country=country,
        current=[fact for fact in now if fact.region_id is None],
        regional=[fact for fact in now if fact.region_id is not None],
        history=every,
        today=today,
    )
