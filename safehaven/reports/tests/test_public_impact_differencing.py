"""Someone saves the public impact page every quarter and compares: one person arrived in the
quarter, and the pages must not tell from which country (reports/public_impact/figures.py)."""

from __future__ import annotations

import datetime

import pytest

from safehaven.reports.choices import Measure
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.figures.queries import counts_by, relocating_organisations
from safehaven.reports.suppression import suppress_counts
from safehaven.reports.tests.figures_helpers import add_total, month, relocated
from safehaven.reports.tests.public_impact_helpers import (
    as_number,
    figure,
    origins_section,
    origins_table,
    read_page,
)

D = datetime.date
# Saved once in each quarter: the first shows figures up to 30 June, the second to 30 September.
SAVED_IN_Q3 = D(2026, 7, 6)
SAVED_IN_Q4 = D(2026, 10, 5)
# Up to June, with 150 before the system: Russia 27, Ukraine 12, and three small countries
# (Kazakhstan 6, Kyrgyzstan 7, Tajikistan 2) that exact suppressed counts would partly show.
BEFORE = {"RU": 27, "UA": 12, "KZ": 6, "KG": 7, "TJ": 2}
EXPECTED = {"Russia": "25", "Ukraine": "10", "Other countries": "15"}


def seed_until_june(world, before: dict[str, int] = BEFORE) -> None:
    add_total(world, Measure.RELOCATED, 150, D(2006, 1, 1), D(2015, 12, 31))
    for country, people in before.items():
        for _n in range(people):
            relocated(world.organisation, month(2025, 5), country=country)


def two_quarters(
    world, monkeypatch, arrival_from: str, before: dict[str, int] = BEFORE
) -> tuple[str, str]:
    seed_until_june(world, before)
    first = read_page(SAVED_IN_Q3, monkeypatch)
    relocated(world.organisation, month(2026, 8), country=arrival_from)
    second = read_page(SAVED_IN_Q4, monkeypatch)
    return first, second


def naive_publication(cut_off: datetime.date) -> dict[str, int | None]:
    """Exact counts with only small-cell suppression: what the page must NOT publish."""
    counts = counts_by(
        relocating_organisations(),
        Measure.RELOCATED,
        "country",
        range(2006, cut_off.year + 1),
        FigureFilters(),
        cut_off,
    )
    return suppress_counts(counts)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "arrival_from",
    [
        "BN",  # the first person ever from a country
        "KG",  # one more from a country too small to be named, exact counts would show
        "TJ",  # the same, where small-cell suppression alone hid it
        "UA",  # one more from a named country, within its multiple of 5
    ],
)
def test_it_does_not_tell_where_a_single_arrival_came_from(world, monkeypatch, arrival_from):
    first, second = two_quarters(world, monkeypatch, arrival_from)
    # The reader does learn that one person arrived in the quarter (totals are exact) ...
    assert as_number(figure(second, "figure-since-start")) == (
        as_number(figure(first, "figure-since-start")) + 1
    )
    # ... and nothing about where from: every country figure is the same on both pages.
    assert origins_table(first) == origins_table(second) == EXPECTED
    assert origins_section(first) == origins_section(second)


@pytest.mark.django_db
@pytest.mark.parametrize("arrival_from", ["KG", "UA"])
def test_the_attack_works_on_exact_counts_with_small_cells_suppressed_only(
    world, monkeypatch, arrival_from
):
    """The same two quarters published as exact suppressed counts give the arrival away: the
    test above can fail."""
    seed_until_june(world)
    first = naive_publication(D(2026, 6, 30))
    relocated(world.organisation, month(2026, 8), country=arrival_from)
    second = naive_publication(D(2026, 9, 30))
    changed = {
        country
        for country in first.keys() | second.keys()
        if first.get(country) != second.get(country)
    }
    assert changed == {arrival_from}


@pytest.mark.django_db
def test_it_does_not_move_a_country_into_other_countries_when_a_new_small_one_appears(
    world, monkeypatch
):
    """Secondary suppression would hide Ukraine the quarter Brunei's first person arrives."""
    before = {"RU": 27, "UA": 12}
    first, second = two_quarters(world, monkeypatch, "BN", before)
    assert origins_table(first) == origins_table(second) == {"Russia": "25", "Ukraine": "10"}
    assert naive_publication(D(2026, 6, 30))["UA"] == 12
    assert naive_publication(D(2026, 9, 30))["UA"] is None
