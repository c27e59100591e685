"""The funnel counts each stage in the year it happened, as counted by hand: across year
boundaries, narrowed by each filter, households by their people, merged cases never, and the
historical totals of a year added to it (reports.figures.queries.funnel_by_year)."""

from __future__ import annotations

import pytest

from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.countries.models import Crisis
from safehaven.reports.choices import Measure
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.figures.queries import YearFunnel, funnel_by_year
from safehaven.reports.tests.figures_helpers import (
    add_figures,
    add_requests,
    add_total,
    month,
    relocated,
)

YEARS = range(2016, 2018)


@pytest.fixture
def crisis(world):
    return Crisis.objects.create(
        name="Figures crisis", starts_on=month(2016, 1), created_by=world.users["admin"]
    )


@pytest.fixture
def counted(world, crisis):
    """By hand: 2016 has 3 requests (one Ukrainian), 2017 has 2; a case received in December
    2016 is verified in January 2017 and supported and relocated in 2017 (a household of 3);
    another, received and verified in 2016, supported in December 2016, arrived January 2017
    through a partner in the crisis; a merged case that would count everywhere."""
    org = world.organisation
    add_requests(2, received=month(2016, 3))
    add_requests(1, received=month(2016, 12), country="UA")
    add_requests(2, received=month(2017, 1))
    household = add_figures(
        org,
        received=month(2016, 12),
        verified_month=month(2017, 1),
        supported_month=month(2017, 2),
        arrived_month=month(2017, 5),
        destination="CA",
        pathway="canada_gar",
        people=3,
        state=CaseState.CLOSED,
        outcome=CaseOutcome.RELOCATED,
    )
    partnered = add_figures(
        org,
        received=month(2016, 6),
        verified_month=month(2016, 8),
        supported_month=month(2016, 12),
        arrived_month=month(2017, 1),
        destination="DE",
        pathway="emergency_visa",
        partner=world.partner_a,
        crisis=crisis,
        state=CaseState.ARRIVED,
    )
    add_figures(
        org,
        received=month(2016, 6),
        verified_month=month(2016, 7),
        supported_month=month(2016, 8),
        arrived_month=month(2016, 9),
        destination="CA",
        people=4,
        state=CaseState.CLOSED,
        outcome=CaseOutcome.MERGED,
    )
    return household, partnered


def test_it_counts_each_stage_in_its_own_year(world, counted):
    assert funnel_by_year([world.organisation], FigureFilters(), YEARS) == [
        YearFunnel(year=2016, requests=3, verified=1, supported=1, relocated=0),
        YearFunnel(year=2017, requests=2, verified=3, supported=3, relocated=4),
    ]


def test_a_merged_case_never_counts(world, counted):
    funnel = funnel_by_year([world.organisation], FigureFilters(destination="CA"), YEARS)
    # Only the household reached Canada; the merged case (4 people, in 2016) is not there.
    assert [(f.year, f.verified, f.supported, f.relocated) for f in funnel] == [
        (2016, 0, 0, 0),
        (2017, 3, 3, 3),
    ]


def test_each_filter_narrows(world, counted, crisis):
    org = [world.organisation]
    by_country = funnel_by_year(org, FigureFilters(country="UA"), YEARS)
    assert [(f.requests, f.relocated) for f in by_country] == [(1, 0), (0, 0)]
    by_pathway = funnel_by_year(org, FigureFilters(pathway="emergency_visa"), YEARS)
    # Narrowed to a pathway, requests are the people of those cases by their month received.
    assert [(f.requests, f.verified, f.relocated) for f in by_pathway] == [(1, 1, 0), (0, 0, 1)]
    by_partner = funnel_by_year(org, FigureFilters(partner_id=world.partner_a.pk), YEARS)
    assert [(f.requests, f.supported, f.relocated) for f in by_partner] == [(0, 1, 0), (0, 0, 1)]
    by_crisis = funnel_by_year(org, FigureFilters(crisis_id=crisis.pk), YEARS)
    assert [(f.verified, f.relocated) for f in by_crisis] == [(1, 0), (0, 1)]
    nowhere = funnel_by_year(org, FigureFilters(destination="FR"), YEARS)
    assert all(f == YearFunnel(f.year, 0, 0, 0, 0) for f in nowhere)


def test_requests_by_partner_and_crisis_come_from_the_requests(world, crisis):
    add_requests(2, received=month(2016, 5), referred_by=world.partner_a, crisis=crisis)
    add_requests(1, received=month(2016, 5))
    org = [world.organisation]
    assert funnel_by_year(org, FigureFilters(partner_id=world.partner_a.pk), YEARS)[0].requests == 2
    assert funnel_by_year(org, FigureFilters(crisis_id=crisis.pk), YEARS)[0].requests == 2
    assert funnel_by_year(org, FigureFilters(), YEARS)[0].requests == 3


def test_another_organisations_cases_do_not_count(world, counted):
    other = Organisation.objects.create(name="Other haven", kind=OrganisationKind.RELOCATING)
    relocated(other, month(2017, 3), people=5)
    funnel = funnel_by_year([world.organisation], FigureFilters(), YEARS)
    assert funnel[1].relocated == 4
    assert funnel_by_year([other], FigureFilters(), YEARS)[1].relocated == 5


def test_totals_within_a_year_add_to_it_and_others_do_not(world, counted):
    add_total(world, Measure.RELOCATED, 81, month(2016, 1), month(2016, 12).replace(day=31))
    add_total(world, Measure.VERIFIED, 10, month(2016, 1), month(2016, 6), country="UA")
    # Across two years: in no year's figure.
    add_total(world, Measure.RELOCATED, 7, month(2016, 11), month(2017, 2))
    funnel = funnel_by_year([world.organisation], FigureFilters(), YEARS)
    assert (funnel[0].relocated, funnel[0].verified) == (81, 11)
    assert funnel[1].relocated == 4
    ukraine = funnel_by_year([world.organisation], FigureFilters(country="UA"), YEARS)
    assert (ukraine[0].verified, ukraine[0].relocated) == (10, 0)
    # A total says nothing of partners: narrowed to one, it is left out.
    partner = funnel_by_year(
        [world.organisation], FigureFilters(partner_id=world.partner_a.pk), YEARS
    )
    assert partner[0].relocated == 0


def test_a_removed_total_does_not_count(world):
    from django.utils import timezone

    total = add_total(world, Measure.RELOCATED, 81, month(2016, 1), month(2016, 12))
    total.removed_at = timezone.now()
    total.save()
    assert funnel_by_year([world.organisation], FigureFilters(), YEARS)[0].relocated == 0
