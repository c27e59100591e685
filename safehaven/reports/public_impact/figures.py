"""What the public impact page publishes, as of the end of the previous quarter.

Every figure stops at the cut-off day (the last day of the previous quarter), so no number on
the page moves when someone arrives: a reader learns of an arrival three months later at the
earliest, mixed with everyone else of the quarter.

A reader can save the page every quarter and compare (docs/reports.md, "The public impact
page"), so no figure of people or requests is published exactly: an exact total since the start
on two quarters' pages gives the quarter's arrivals by subtraction (two, say), and with them the
"fewer than 5" of the year. Every total is rounded DOWN to a multiple of ``ROUNDED_TO`` and shown
as "at least N" (under five: "fewer than 5"); the goal's percent is worked out from the rounded
figure, so it tells no more than it. One to four more arrivals then change nothing on the page,
or move a figure up one step, which as many arrivals of another quarter would do too.

Countries of origin follow a stricter rule still:

- a country is named only once at least ``NAMED_FROM`` people from it were relocated in all
  (primary suppression under five, ``suppress_counts``, is inside that rule);
- a named country's figure is its count rounded DOWN to a multiple of ``ROUNDED_TO``, so one
  more person from it changes nothing on the page, except the one time in five it crosses a
  multiple;
- every other country is counted together in "other countries", rounded down the same way and
  shown only from five; which countries they are, and how many, is never shown;
- rows are ordered by their rounded figure, then by code: an order by the exact counts would
  tell which of two equal-looking countries has more.

No secondary suppression: rounding already keeps a hidden cell from being recovered from the
(rounded) total, and secondary suppression would make countries vanish into "other countries" the
quarter a first person from a new small country arrives, which is exactly what must not show.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.cache import caches

from safehaven.countries.choices import FactKind, FactValue
from safehaven.countries.queries import figures_for
from safehaven.reports.choices import Measure
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.figures.queries import (
    counts_by,
    goal_progress,
    relocated_since_start,
    relocating_organisations,
)
from safehaven.reports.suppression import SMALL_CELL, suppress_counts

# A country is named from two small cells' worth of people; each figure in steps of five.
NAMED_FROM = 2 * SMALL_CELL
ROUNDED_TO = SMALL_CELL
# The figures of a quarter, once counted, are kept this long in each app server's memory: the
# page is open to anyone, and a flood of visits must not become a flood of aggregate queries.
# Short, so a total an administrator corrects shows within minutes.
KEPT_SECONDS = 10 * 60
_CACHE = "template_fragments"


def rounded_down(people: int) -> int:
    return people - people % ROUNDED_TO


def published_at_least(count: int) -> int | None:
    """A total as the page shows it: rounded down to a multiple of ``ROUNDED_TO``, None (shown
    as "fewer than 5") under ``SMALL_CELL``."""
    rounded = rounded_down(count)
    return rounded if rounded >= SMALL_CELL else None


@dataclass(frozen=True)
class Origins:
    """Countries of origin as published: (ISO code, rounded people), largest first, and the
    rounded people of every other country together (0: not shown)."""

    named: tuple[tuple[str, int], ...]
    others: int


def published_origins(counts: Mapping[str, int]) -> Origins:
    """The rule of the module docstring, applied to exact counts by ISO code ("" = unknown,
    left out: it is no country)."""
    recorded = {code: people for code, people in counts.items() if code and people > 0}
    primary = suppress_counts(recorded, total_published=False)
    named = {
        code: rounded_down(people)
        for code, people in recorded.items()
        if primary.get(code) is not None and people >= NAMED_FROM
    }
    others = sum(people for code, people in recorded.items() if code not in named)
    ordered = sorted(named.items(), key=lambda row: (-row[1], row[0]))
    return Origins(named=tuple(ordered), others=rounded_down(others))


@dataclass(frozen=True)
class LawFigures:
    """UN member states whose law punished same-sex intimacy on the cut-off day, from the
    ``countries`` facts, with the sources those facts cite."""

    criminalising: int
    death_in_force: tuple[str, ...]
    death_possible: tuple[str, ...]
    sources: tuple[tuple[str, int], ...]
    recorded: bool


def law_figures(day: datetime.date) -> LawFigures:
    figures = figures_for(day)

    def with_penalty(value: str) -> tuple[str, ...]:
        return tuple(
            sorted(
                {
                    fact.country_id
                    for fact in figures.facts
                    if fact.kind == FactKind.MAX_PENALTY and fact.value == value
                }
            )
        )

    sources = sorted({(fact.source, fact.source_year) for fact in figures.facts})
    return LawFigures(
        criminalising=figures.criminalising,
        death_in_force=with_penalty(FactValue.DEATH_IN_FORCE),
        death_possible=with_penalty(FactValue.DEATH_POSSIBLE),
        sources=tuple(sorted(sources, key=lambda source: (source[1], source[0]))),
        recorded=bool(figures.facts),
    )


@dataclass(frozen=True)
class ImpactFigures:
    """Everything the page shows, the same in every language. Every count of people or
    requests is rounded down to a multiple of five ("at least N"); None: fewer than five."""

    cut_off: datetime.date
    first_year: int | None
    relocated_since_start: int | None
    year: int
    relocated_in_year: int | None
    goal: int | None
    percent: int | None
    requests_in_year: int | None
    requests_since_start: int | None
    origins: Origins
    laws: LawFigures


def goal_percent(relocated: int | None, goal: int | None) -> int | None:
    """The share of the goal reached, rounded down, from the published (rounded) figure; none
    under five people, nor without a goal."""
    if not relocated or not goal or goal <= 0:
        return None
    return relocated * 100 // goal


def impact_figures(cut_off: datetime.date) -> ImpactFigures:
    """Counted afresh from the figures rows, historical totals and country facts. The year is
    the cut-off's: on 15 January the page shows the whole of the year before."""
    organisations = list(relocating_organisations())
    since = relocated_since_start(organisations, cut_off)
    year = cut_off.year
    progress = goal_progress(organisations, year, cut_off)
    first_year = since.first_year if since.first_year is not None else year
    years = range(min(first_year, year), year + 1)
    requests = counts_by(organisations, Measure.REQUESTS, "year", years, FigureFilters(), cut_off)
    origins = counts_by(
        organisations, Measure.RELOCATED, "country", years, FigureFilters(), cut_off
    )
    relocated_in_year = published_at_least(progress.relocated)
    return ImpactFigures(
        cut_off=cut_off,
        first_year=since.first_year,
        relocated_since_start=published_at_least(since.people),
        year=year,
        relocated_in_year=relocated_in_year,
        goal=progress.goal,
        # From the rounded figure: the exact one would be told back by the percent of the goal.
        percent=goal_percent(relocated_in_year, progress.goal),
        requests_in_year=published_at_least(requests.get(str(year), 0)),
        requests_since_start=published_at_least(sum(requests.values())),
        origins=published_origins(origins),
        laws=law_figures(cut_off),
    )


def kept_impact_figures(cut_off: datetime.date) -> ImpactFigures:
    """``impact_figures``, kept a few minutes per cut-off day (``KEPT_SECONDS``)."""
    cache = caches[_CACHE]
    key = f"public-impact:{cut_off.isoformat()}"
    figures = cache.get(key)
    if not isinstance(figures, ImpactFigures):
        figures = impact_figures(cut_off)
        cache.set(key, figures, KEPT_SECONDS)
    return figures
