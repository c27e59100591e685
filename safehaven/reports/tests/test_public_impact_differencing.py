"""Someone saves the public impact page every quarter and compares: one to four people arrived
in the quarter, and the pages must tell neither how many nor from which country
(reports/public_impact/figures.py)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import caches
from django.db import transaction

from safehaven.reports.choices import Measure
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.figures.queries import counts_by, relocating_organisations
from safehaven.reports.models import YearlyGoal
from safehaven.reports.suppression import suppress_counts
from safehaven.reports.tests.figures_helpers import add_requests, add_total, month, relocated
from safehaven.reports.tests.public_impact_helpers import (
    everything_shown,
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
    # 204 people up to June, 205 up to September: the total moves one step of five, as it
    # would for anything from 1 to 9 arrivals (the tests below: how many is not told) ...
    assert figure(first, "figure-since-start") == "at least 200"
    assert figure(second, "figure-since-start") == "at least 205"
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


# Up to 30 June 2026, every figure on a multiple of 5: 205 people relocated since 2006 (150 before
# the system), 5 in 2026 (goal 40: 12%), Russia 30, Ukraine 10, and Kazakhstan 7, Tajikistan 7
# and Kyrgyzstan 1 (15 together, never one of them near the 10 that names a country); requests:
# 10 in 2026, 30 in all.
ROUND_BEFORE = {"RU": 25, "UA": 10, "KZ": 7, "TJ": 7, "KG": 1}
# Where the arrivals of the quarter come from: a named country, a small one, an unknown one
# (only the totals count them).
ARRIVALS_FROM = ["UA", "KG", ""]


def seed_on_multiples_of_5(world) -> None:
    add_total(world, Measure.RELOCATED, 150, D(2006, 1, 1), D(2015, 12, 31))
    for country, people in ROUND_BEFORE.items():
        for _n in range(people):
            relocated(world.organisation, month(2025, 5), country=country)
    for _n in range(5):
        relocated(world.organisation, month(2026, 2), country="RU")
    add_requests(20, received=month(2025, 3))
    add_requests(10, received=month(2026, 2))
    YearlyGoal.objects.create(
        organisation=world.organisation, year=2026, relocations=40, set_by=world.users["admin"]
    )


def saved_pages(
    world, monkeypatch, *, earlier: int, arrivals: int, country: str
) -> tuple[str, str]:
    """What a reader sees on the pages saved in Q3 and in Q4 when ``earlier`` people (and as
    many requests) were added in May, before the first cut-off, and ``arrivals`` people (and as
    many requests) in August, between the two; everything added is rolled back after."""
    with transaction.atomic():
        for _n in range(earlier):
            relocated(world.organisation, month(2026, 5), country=country)
        add_requests(earlier, received=month(2026, 5))
        caches["template_fragments"].clear()
        first = everything_shown(read_page(SAVED_IN_Q3, monkeypatch))
        for _n in range(arrivals):
            relocated(world.organisation, month(2026, 8), country=country)
        add_requests(arrivals, received=month(2026, 8))
        caches["template_fragments"].clear()
        second = everything_shown(read_page(SAVED_IN_Q4, monkeypatch))
        transaction.set_rollback(True)
    return first, second


@pytest.mark.django_db
@pytest.mark.parametrize("country", ARRIVALS_FROM)
def test_no_figure_on_the_page_moves_for_1_to_4_arrivals_from_a_multiple_of_5(
    world, monkeypatch, country
):
    """Totals, the year, requests, the goal's percent and its bar, countries, chart bars and
    ids: the whole page is the same after 1 to 4 arrivals. With exact totals, since-start(30
    Sep) - since-start(30 Jun) gave the arrivals, and with them the year's "fewer than 5"."""
    seed_on_multiples_of_5(world)
    for arrivals in range(1, 5):
        first, second = saved_pages(
            world, monkeypatch, earlier=0, arrivals=arrivals, country=country
        )
        assert second == first, arrivals
        assert figure(first, "figure-since-start") == "at least 205"
        assert figure(first, "figure-this-year") == "at least 5"
        assert figure(first, "figure-requests-this-year") == "at least 10"
        assert figure(first, "figure-requests-since-start") == "at least 30"
        assert "We have reached 12% of it." in first


@pytest.mark.django_db
@pytest.mark.parametrize("country", ARRIVALS_FROM)
def test_pages_of_two_quarters_cannot_tell_how_many_of_1_to_4_people_arrived(
    world, monkeypatch, country
):
    """Whatever the exact figures stood at (0 to 4 above a multiple of 5, which the first page
    cannot show), every pair of pages a reader may save is one that 1, 2, 3 and 4 arrivals
    all give: nothing on the page, not even a figure stepping up, tells how many arrived."""
    seed_on_multiples_of_5(world)
    arrivals_giving: dict[tuple[str, str], set[int]] = {}
    for earlier in range(5):
        for arrivals in range(1, 5):
            pages = saved_pages(
                world, monkeypatch, earlier=earlier, arrivals=arrivals, country=country
            )
            arrivals_giving.setdefault(pages, set()).add(arrivals)
    assert len({first for first, _second in arrivals_giving}) == 1  # the first page tells nothing
    assert len(arrivals_giving) == 2  # unchanged, or every figure one step up
    for told in arrivals_giving.values():
        assert told == {1, 2, 3, 4}
