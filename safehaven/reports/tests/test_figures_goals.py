"""The seed's figures reproduced from data (issue 22): totals entered for the years before the
system and the cases relocated in 2017 give "81 in 2016", "42 since January 2017" as of
21 April 2017, 42% of a goal of 100, and "more than 200 since 2006"
(reports.figures.queries.goal_progress, relocated_since_start, counts_by)."""

from __future__ import annotations

import datetime

import pytest

from safehaven.reports.choices import Measure
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.figures.queries import (
    GoalProgress,
    SinceStart,
    counts_by,
    funnel_by_year,
    goal_progress,
    relocated_since_start,
)
from safehaven.reports.models import YearlyGoal
from safehaven.reports.tests.figures_helpers import add_total, month, relocated

APRIL_21 = datetime.date(2017, 4, 21)


@pytest.fixture
def seed(world):
    org = world.organisation
    add_total(
        world,
        Measure.RELOCATED,
        130,
        datetime.date(2006, 3, 1),
        datetime.date(2015, 12, 31),
        source="Annual reports 2006-2015",
    )
    add_total(world, Measure.RELOCATED, 81, datetime.date(2016, 1, 1), datetime.date(2016, 12, 31))
    # 2017 from the cases: 30 alone, 3 households of 4 = 42 people by the end of April.
    for number in range(30):
        relocated(org, month(2017, 1 + number % 4), country="RU" if number % 3 else "TJ")
    for arrived in (month(2017, 2), month(2017, 3), month(2017, 4)):
        relocated(org, arrived, people=4, received=month(2016, 11))
    relocated(org, month(2017, 5), people=2)  # after April: not yet
    YearlyGoal.objects.create(
        organisation=org, year=2017, relocations=100, set_by=world.users["admin"]
    )
    return org


def test_it_reproduces_the_figures_of_april_2017(world, seed):
    funnel = funnel_by_year([seed], FigureFilters(), range(2016, 2017))
    assert funnel[0].relocated == 81
    assert goal_progress([seed], 2017, APRIL_21) == GoalProgress(
        year=2017, goal=100, relocated=42, from_history=0, from_cases=42, percent=42
    )
    since = relocated_since_start([seed], APRIL_21)
    assert since == SinceStart(first_year=2006, people=253)
    assert since.people > 200


def test_a_total_counts_once_its_period_has_ended(world, seed):
    # The first months of 2017 entered as a total instead (and the cases left out).
    from safehaven.reports.models import CaseFigures

    CaseFigures.objects.all().delete()
    add_total(world, Measure.RELOCATED, 42, datetime.date(2017, 1, 1), APRIL_21)
    assert goal_progress([seed], 2017, APRIL_21).from_history == 42
    before = goal_progress([seed], 2017, datetime.date(2017, 4, 20))
    assert (before.relocated, before.percent) == (0, 0)
    assert relocated_since_start([seed], datetime.date(2016, 6, 30)) == SinceStart(2006, 130)


def test_goal_progress_without_a_goal_has_no_percent(world, seed):
    progress = goal_progress([seed], 2016, datetime.date(2016, 12, 31))
    assert (progress.goal, progress.relocated, progress.percent) == (None, 81, None)


def test_the_percent_never_rounds_up_to_the_goal(world, seed):
    YearlyGoal.objects.filter(year=2017).update(relocations=43)
    assert goal_progress([seed], 2017, APRIL_21).percent == 97


def test_counts_by_year_and_country_add_the_totals(world, seed):
    years = range(2016, 2018)
    assert counts_by([seed], Measure.RELOCATED, "year", years, FigureFilters()) == {
        "2016": 81,
        "2017": 44,
    }
    april = counts_by([seed], Measure.RELOCATED, "year", years, FigureFilters(), as_of=APRIL_21)
    assert april == {"2016": 81, "2017": 42}
    by_country = counts_by([seed], Measure.RELOCATED, "country", years, FigureFilters())
    # The totals name no country: only the cases count by country (May's 2 included).
    assert by_country == {"RU": 34, "TJ": 10}
