"""The figures every report reads (docs/reports.md says what each counts).

Verified, supported and relocated count people (``CaseFigures.people``); requests count
requests. A merged case never counts. Each function runs a few aggregate queries on indexed
month columns, grouped by month and folded into years here: never a query per case or per year
(the dashboard reads 100,000 cases in well under 300 ms).

Requests are the installation's ``HelpRequest`` rows (a request belongs to no organisation
until a case takes it), erased ones included (their clear row stays). Narrowed by a destination
or a pathway, which only a case has, requests are counted from the cases' figures instead: the
people of the cases received in the month.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Min, Sum

from safehaven.accounts.models import Organisation
from safehaven.reports.choices import Measure
from safehaven.reports.figures import history
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.figures.months import first_of_month
from safehaven.reports.figures.sources import (
    case_figures,
    in_months,
    relocating_organisations,
    requests_of,
)
from safehaven.reports.figures.waits import SafetyTimes, backlog_age, time_to_safety
from safehaven.reports.models import YearlyGoal

# The month column of each stage a case passes.
MONTH_COLUMN = {
    Measure.VERIFIED: "verified_month",
    Measure.SUPPORTED: "supported_month",
    Measure.RELOCATED: "arrived_month",
}
# Each dimension's column on the cases' figures and on the requests (requests have no
# destination and no pathway).
FIGURES_COLUMN = {
    "country": "country",
    "destination": "destination",
    "pathway": "pathway",
    "partner": "partner_id",
    "crisis": "crisis_id",
}
REQUESTS_COLUMN = {"country": "country", "partner": "referred_by_id", "crisis": "crisis_id"}
DIMENSIONS = (*FIGURES_COLUMN, "year")


@dataclass(frozen=True)
class YearFunnel:
    year: int
    requests: int
    verified: int
    supported: int
    relocated: int


@dataclass(frozen=True)
class GoalProgress:
    year: int
    goal: int | None
    relocated: int
    from_history: int
    from_cases: int
    percent: int | None


@dataclass(frozen=True)
class SinceStart:
    first_year: int | None
    people: int


def _by_year(pairs: Iterable[tuple[object, int | None]]) -> dict[int, int]:
    """Counts by month folded into years."""
    years: dict[int, int] = {}
    for month, count in pairs:
        if isinstance(month, datetime.date):
            years[month.year] = years.get(month.year, 0) + (count or 0)
    return years


def _cases_by(
    organisations: Iterable[Organisation],
    filters: FigureFilters,
    column: str,
    years: range,
    group: str,
    as_of: datetime.date | None = None,
) -> list[tuple[object, int]]:
    """People of the cases whose ``column`` month lies in ``years``, grouped by ``group``."""
    rows = in_months(case_figures(organisations, filters), column, years, as_of)
    grouped = rows.order_by().values(group).annotate(n=Sum("people")).values_list(group, "n")
    return list(grouped)


def _requests_by(
    organisations: Iterable[Organisation],
    filters: FigureFilters,
    years: range,
    dimension: str,
    as_of: datetime.date | None = None,
) -> list[tuple[object, int]]:
    """Requests received in ``years``, grouped by ``dimension`` (a month for "year")."""
    if filters.narrows_to_cases or dimension not in (*REQUESTS_COLUMN, "year"):
        group = "received_month" if dimension == "year" else FIGURES_COLUMN[dimension]
        return _cases_by(organisations, filters, "received_month", years, group, as_of)
    group = "received_month" if dimension == "year" else REQUESTS_COLUMN[dimension]
    rows = in_months(requests_of(filters), "received_month", years, as_of)
    return list(rows.order_by().values(group).annotate(n=Count("pk")).values_list(group, "n"))


def _measure_by(
    organisations: Iterable[Organisation],
    measure: Measure,
    filters: FigureFilters,
    years: range,
    dimension: str,
    as_of: datetime.date | None = None,
) -> list[tuple[object, int]]:
    if measure == Measure.REQUESTS:
        return _requests_by(organisations, filters, years, dimension, as_of)
    column = MONTH_COLUMN[Measure(measure)]
    group = column if dimension == "year" else FIGURES_COLUMN[dimension]
    return _cases_by(organisations, filters, column, years, group, as_of)


def funnel_by_year(
    organisations: Iterable[Organisation], filters: FigureFilters, years: range
) -> list[YearFunnel]:
    """Each stage counted in the year it happened, with the historical totals of the year."""
    organisations = list(organisations)
    if not years:
        return []
    stages: dict[Measure, dict[int, int]] = {}
    for measure in Measure:
        by_year = _by_year(_measure_by(organisations, measure, filters, years, "year"))
        for year, people in history.totals_by_year(organisations, measure, years, filters).items():
            by_year[year] = by_year.get(year, 0) + people
        stages[measure] = by_year
    return [
        YearFunnel(
            year=year,
            requests=stages[Measure.REQUESTS].get(year, 0),
            verified=stages[Measure.VERIFIED].get(year, 0),
            supported=stages[Measure.SUPPORTED].get(year, 0),
            relocated=stages[Measure.RELOCATED].get(year, 0),
        )
        for year in years
    ]


def counts_by(
    organisations: Iterable[Organisation],
    measure: Measure,
    dimension: str,
    years: range,
    filters: FigureFilters,
    as_of: datetime.date | None = None,
) -> dict[str, int]:
    """``measure`` in ``years`` (up to the month of ``as_of``) by ``dimension``: an ISO code, a
    pathway, an organisation's or crisis's pk, or a year, as str. "" is the cases without one
    (no destination recorded, no partner, no crisis). Historical totals count by year, and by
    country when they name one."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    organisations = list(organisations)
    if not years:
        return {}
    measure = Measure(measure)
    pairs = _measure_by(organisations, measure, filters, years, dimension, as_of)
    counts: dict[str, int] = {}
    if dimension == "year":
        extra = history.totals_by_year(organisations, measure, years, filters, as_of=as_of)
        for year, people in _by_year(pairs).items():
            counts[str(year)] = people
        for year, people in extra.items():
            counts[str(year)] = counts.get(str(year), 0) + people
        return counts
    for key, people in pairs:
        label = "" if key is None else str(key)
        counts[label] = counts.get(label, 0) + (people or 0)
    if dimension == "country":
        extra_by_country = history.totals_by_country(
            organisations, measure, years, filters, as_of=as_of
        )
        for country, people in extra_by_country.items():
            counts[country] = counts.get(country, 0) + people
    return counts


def goal_progress(
    organisations: Iterable[Organisation], year: int, as_of: datetime.date
) -> GoalProgress:
    """People relocated in ``year`` up to ``as_of``: the totals entered for periods within the
    year that ended by then, and the cases arrived in the year's months up to ``as_of``'s
    month; against the year's goal (summed over ``organisations``). The percent is rounded
    down, so a goal never shows as reached before it is."""
    organisations = list(organisations)
    ids = history.organisation_ids(organisations)
    from_history = history.totals_by_year(
        organisations, Measure.RELOCATED, range(year, year + 1), FigureFilters(), as_of=as_of
    ).get(year, 0)
    if as_of < datetime.date(year, 1, 1):
        from_cases = 0
    else:
        cases = in_months(
            case_figures(organisations, FigureFilters(), whole_table=False),
            "arrived_month",
            range(year, year + 1),
            as_of,
        )
        from_cases = cases.aggregate(n=Sum("people"))["n"] or 0
    goals = YearlyGoal.objects.filter(organisation_id__in=ids, year=year)
    goal = goals.aggregate(n=Sum("relocations"))["n"] if goals.exists() else None
    relocated = from_history + from_cases
    percent = relocated * 100 // goal if goal else None
    return GoalProgress(
        year=year,
        goal=goal,
        relocated=relocated,
        from_history=from_history,
        from_cases=from_cases,
        percent=percent,
    )


def relocated_since_start(
    organisations: Iterable[Organisation], as_of: datetime.date
) -> SinceStart:
    """Everyone relocated up to ``as_of``: every historical total ended by then and every case
    arrived in a month up to ``as_of``'s; from the first year either records."""
    organisations = list(organisations)
    from_history, first_total = history.total_since_start(organisations, Measure.RELOCATED, as_of)
    cases = case_figures(organisations, FigureFilters()).filter(
        arrived_month__lte=first_of_month(as_of)
    )
    summary = cases.aggregate(n=Sum("people"), first=Min("arrived_month"))
    first_case = summary["first"]
    years = [y for y in (first_total, first_case.year if first_case else None) if y is not None]
    return SinceStart(
        first_year=min(years) if years else None, people=from_history + (summary["n"] or 0)
    )


__all__ = [
    "GoalProgress",
    "SafetyTimes",
    "SinceStart",
    "YearFunnel",
    "backlog_age",
    "case_figures",
    "counts_by",
    "funnel_by_year",
    "goal_progress",
    "relocated_since_start",
    "relocating_organisations",
    "time_to_safety",
]
