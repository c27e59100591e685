"""The totals an administrator entered for the years before the system (``HistoricalTotal``):
which of them count in a figure.

A total whose period lies within one calendar year counts in that year; every total counts in
"since the start". A total counts as of a day once its period has ended by then. A removed
total never counts. Totals carry a measure and, at most, a country of origin: a figure narrowed
by anything else (destination, pathway, partner, crisis) leaves them out, since nothing says
which part of a total it would be.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import QuerySet, Sum

from safehaven.accounts.models import Organisation
from safehaven.reports.choices import Measure
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.models import HistoricalTotal


def organisation_ids(organisations: Iterable[Organisation]) -> list[int]:
    return [organisation.pk for organisation in organisations]


def applies(filters: FigureFilters) -> bool:
    """Whether historical totals can be part of a figure narrowed by ``filters``."""
    return not (
        filters.destination
        or filters.pathway
        or filters.partner_id is not None
        or filters.crisis_id is not None
    )


def standing_totals(
    organisations: Iterable[Organisation], measure: Measure, *, as_of: datetime.date | None = None
) -> QuerySet[HistoricalTotal]:
    totals = HistoricalTotal.objects.filter(
        organisation_id__in=organisation_ids(organisations),
        measure=measure,
        removed_at__isnull=True,
    )
    if as_of is not None:
        totals = totals.filter(period_end__lte=as_of)
    return totals


def totals_by_year(
    organisations: Iterable[Organisation],
    measure: Measure,
    years: range,
    filters: FigureFilters,
    *,
    as_of: datetime.date | None = None,
) -> dict[int, int]:
    """People of the totals lying within one year of ``years``, by year (one query)."""
    if not applies(filters) or not years:
        return {}
    totals = standing_totals(organisations, measure, as_of=as_of).filter(
        period_start__gte=datetime.date(years[0], 1, 1),
        period_end__lte=datetime.date(years[-1], 12, 31),
    )
    if filters.country:
        totals = totals.filter(country=filters.country)
    by_year: dict[int, int] = {}
    rows = totals.values_list("period_start", "period_end", "people")
    for start, end, people in rows:
        if start.year == end.year:
            by_year[start.year] = by_year.get(start.year, 0) + people
    return by_year


def totals_by_country(
    organisations: Iterable[Organisation],
    measure: Measure,
    years: range,
    filters: FigureFilters,
    *,
    as_of: datetime.date | None = None,
) -> dict[str, int]:
    """People of the totals that name a country, lying within one year of ``years``."""
    if not applies(filters) or not years:
        return {}
    totals = (
        standing_totals(organisations, measure, as_of=as_of)
        .exclude(country="")
        .filter(
            period_start__gte=datetime.date(years[0], 1, 1),
            period_end__lte=datetime.date(years[-1], 12, 31),
        )
    )
    if filters.country:
        totals = totals.filter(country=filters.country)
    by_country: dict[str, int] = {}
    for start, end, country, people in totals.values_list(
        "period_start", "period_end", "country", "people"
    ):
        if start.year == end.year:
            by_country[country] = by_country.get(country, 0) + people
    return by_country


def total_since_start(
    organisations: Iterable[Organisation], measure: Measure, as_of: datetime.date
) -> tuple[int, int | None]:
    """People of every total ended by ``as_of``, and the year the earliest of them starts."""
    totals = standing_totals(organisations, measure, as_of=as_of)
    summed = totals.aggregate(people=Sum("people"))["people"] or 0
    first = totals.order_by("period_start").values_list("period_start", flat=True).first()
    return summed, (first.year if first is not None else None)
