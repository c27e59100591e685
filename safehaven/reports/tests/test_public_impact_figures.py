"""The public impact page's figures: the cut-off day, the countries rule, the law figures."""

from __future__ import annotations

import datetime

import pytest

from safehaven.countries.choices import FactKind, FactValue
from safehaven.countries.models import RiskFact
from safehaven.reports.choices import Measure
from safehaven.reports.models import YearlyGoal
from safehaven.reports.public_impact.cut_off import quarter_end_before
from safehaven.reports.public_impact.figures import (
    Origins,
    goal_percent,
    impact_figures,
    law_figures,
    published_at_least,
    published_origins,
)
from safehaven.reports.tests.figures_helpers import add_requests, add_total, month, relocated

D = datetime.date


@pytest.mark.parametrize(
    ("today", "cut_off"),
    [
        (D(2026, 12, 7), D(2026, 9, 30)),
        (D(2026, 10, 1), D(2026, 9, 30)),
        (D(2026, 9, 30), D(2026, 6, 30)),
        (D(2026, 4, 1), D(2026, 3, 31)),
        (D(2027, 1, 1), D(2026, 12, 31)),
        (D(2027, 3, 31), D(2026, 12, 31)),
        (D(2024, 5, 20), D(2024, 3, 31)),
    ],
)
def test_it_cuts_off_at_the_end_of_the_previous_quarter(today, cut_off):
    assert quarter_end_before(today) == cut_off


def test_it_names_a_country_from_10_people_rounded_down_to_a_multiple_of_5():
    origins = published_origins({"RU": 27, "UA": 10, "KZ": 9, "BN": 1, "AF": 14})
    assert origins.named == (("RU", 25), ("AF", 10), ("UA", 10))
    # KZ 9 + BN 1 = 10 people from the other countries, rounded down.
    assert origins.others == 10


def test_it_shows_other_countries_only_from_5_people():
    assert published_origins({"RU": 12, "BN": 1, "KZ": 3}).others == 0
    assert published_origins({"RU": 12, "BN": 2, "KZ": 3}).others == 5


def test_it_leaves_out_people_whose_country_is_unknown_and_empty_counts():
    assert published_origins({"": 40, "RU": 0}) == Origins(named=(), others=0)


def test_it_orders_equal_figures_by_code_never_by_the_exact_counts():
    # TJ has more people than AF; ordered by exact counts it would come first and tell so.
    origins = published_origins({"TJ": 14, "AF": 10, "UZ": 12})
    assert origins.named == (("AF", 10), ("TJ", 10), ("UZ", 10))


def test_it_never_publishes_a_figure_above_the_truth_or_under_it_by_5_or_more():
    for people in range(10, 60):
        shown = dict(published_origins({"RU": people}).named)["RU"]
        assert shown % 5 == 0
        assert people - 5 < shown <= people


@pytest.mark.django_db
def test_it_counts_the_law_facts_of_the_cut_off_day_with_their_sources(country_facts):
    before_uganda = law_figures(D(2023, 3, 31))
    after_uganda = law_figures(D(2023, 6, 30))
    assert "UG" not in before_uganda.death_in_force
    assert "UG" in after_uganda.death_in_force
    assert len(after_uganda.death_in_force) == 7
    assert len(after_uganda.death_possible) == 5
    assert law_figures(D(2024, 12, 31)).criminalising == 62
    sources = [source for source, _year in after_uganda.sources]
    assert any(source.startswith("ILGA World") for source in sources)
    assert any("Anti-Homosexuality Act 2023" in source for source in sources)


@pytest.mark.django_db
def test_it_counts_no_law_fact_that_starts_after_the_cut_off(country_facts):
    cut_off = D(2026, 9, 30)
    before = law_figures(cut_off)
    RiskFact.objects.filter(country_id="MX", kind=FactKind.CRIMINALISATION).update(
        valid_to=D(2026, 10, 4)
    )
    RiskFact.objects.create(
        country_id="MX",
        kind=FactKind.CRIMINALISATION,
        value=FactValue.CRIMINALISED,
        summary="A later law.",
        source="A law of October 2026",
        source_year=2026,
        valid_from=D(2026, 10, 5),
    )
    after = law_figures(cut_off)
    assert after.criminalising == before.criminalising
    assert "A law of October 2026" not in [source for source, _year in after.sources]
    assert law_figures(D(2026, 12, 31)).criminalising == before.criminalising + 1


@pytest.mark.django_db
def test_it_adds_historical_totals_and_cases_up_to_the_cut_off(world):
    organisation = world.organisation
    add_total(world, Measure.RELOCATED, 150, D(2006, 1, 1), D(2015, 12, 31))
    add_total(world, Measure.RELOCATED, 81, D(2016, 1, 1), D(2016, 12, 31))
    for _n in range(6):
        relocated(organisation, month(2026, 2), country="RU")
    relocated(organisation, month(2026, 9), people=3, country="UA")
    # After the cut-off: not counted anywhere.
    relocated(organisation, month(2026, 10), people=4, country="RU")
    add_total(world, Measure.RELOCATED, 9, D(2026, 10, 1), D(2026, 10, 31))
    YearlyGoal.objects.create(
        organisation=organisation, year=2026, relocations=20, set_by=world.users["admin"]
    )
    add_requests(7, received=month(2026, 3))
    add_requests(2, received=month(2025, 3))
    add_requests(30, received=month(2026, 11))
    figures = impact_figures(D(2026, 9, 30))
    assert figures.first_year == 2006
    assert figures.relocated_since_start == 150 + 81 + 6 + 3  # 240: a multiple of 5
    assert figures.year == 2026
    assert figures.relocated_in_year == 5  # 9, rounded down
    assert figures.goal == 20
    assert figures.percent == 25  # of the rounded 5; the exact 9 would give 45
    assert figures.requests_in_year == 5  # 7
    assert figures.requests_since_start == 5  # 9
    assert figures.origins.named == ()
    assert figures.origins.others == 5  # RU 6 + UA 3, rounded down


@pytest.mark.django_db
def test_it_hides_totals_under_5_and_the_percent_that_would_tell_them(world):
    relocated(world.organisation, month(2026, 5), people=3)
    YearlyGoal.objects.create(
        organisation=world.organisation, year=2026, relocations=10, set_by=world.users["admin"]
    )
    figures = impact_figures(D(2026, 9, 30))
    assert figures.first_year == 2026
    assert figures.relocated_since_start is None
    assert figures.relocated_in_year is None
    assert figures.goal == 10
    assert figures.percent is None


def test_it_publishes_every_total_rounded_down_to_a_multiple_of_5():
    assert [published_at_least(count) for count in (0, 4, 5, 9, 10, 204, 205)] == [
        None,
        None,
        5,
        5,
        10,
        200,
        205,
    ]
    for count in range(5, 300):
        shown = published_at_least(count)
        assert shown is not None
        assert shown % 5 == 0
        assert count - 5 < shown <= count


def test_it_works_the_goal_percent_out_from_the_rounded_figure_only():
    assert goal_percent(15, 40) == 37
    assert goal_percent(None, 40) is None
    assert goal_percent(0, 40) is None
    assert goal_percent(15, None) is None
    assert goal_percent(15, 0) is None
