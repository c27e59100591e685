"""Time to safety, backlog age and counts by each dimension, counted by hand
(reports.figures.queries)."""

from __future__ import annotations

import datetime
from uuid import uuid4

import pytest

from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.models import CasePerson
from safehaven.intake.choices import RequestStatus
from safehaven.intake.models import HelpRequest
from safehaven.reports.choices import Measure
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.figures.queries import (
    backlog_age,
    counts_by,
    relocating_organisations,
    time_to_safety,
)
from safehaven.reports.tests.figures_helpers import (
    add_figures,
    add_requests,
    bare_case,
    month,
    relocated,
)

NONE = FigureFilters()


def test_time_to_safety_is_months_from_request_to_arrival_by_people(world):
    org = world.organisation
    relocated(org, month(2017, 1), received=month(2017, 1))  # 0 months
    relocated(org, month(2017, 4), received=month(2016, 12), people=3)  # 4 months
    relocated(org, month(2018, 2), received=month(2016, 11), destination="CA")  # 15 months
    relocated(org, month(2019, 1), received=month(2016, 1))  # 36, but outside the years
    times = time_to_safety([org], NONE, range(2017, 2019))
    assert times.median_months == 4.0
    assert times.distribution == [
        ("Under 3 months", 1),
        ("3 to 5 months", 3),
        ("6 to 11 months", 0),
        ("1 to 2 years", 1),
        ("2 years or more", 0),
    ]
    canada = time_to_safety([org], FigureFilters(destination="CA"), range(2017, 2019))
    assert canada.median_months == 15.0
    assert time_to_safety([org], NONE, range(2010, 2012)).median_months is None


def test_the_median_of_an_even_count_is_between_the_middle_two(world):
    org = world.organisation
    relocated(org, month(2017, 1), received=month(2017, 1))
    relocated(org, month(2017, 4), received=month(2017, 1))
    assert time_to_safety([org], NONE, range(2017, 2018)).median_months == 1.5


def test_backlog_age_counts_waiting_requests_and_cases_by_months_waited(world):
    org = world.organisation
    today = datetime.date(2017, 4, 21)
    add_requests(2, received=month(2017, 4))  # under 1 month
    add_requests(1, received=month(2017, 2), status=RequestStatus.WILL_CONTACT)  # 2 months
    add_requests(1, received=month(2016, 1), status=RequestStatus.CLOSED)  # decided: no
    add_requests(1, received=month(2017, 3), withdrawn_at=datetime.datetime.now(datetime.UTC))
    taken = bare_case(org, received=month(2017, 1))
    add_requests(1, received=month(2017, 1))
    CasePerson.objects.bulk_create(
        [CasePerson(case=taken, help_request=HelpRequest.objects.latest("pk"), record_id=uuid4())]
    )
    add_figures(org, received=month(2016, 10), state=CaseState.PLANNING)  # 6 months
    add_figures(org, received=month(2016, 4), state=CaseState.WAITLISTED, destination="CA")
    add_figures(org, received=month(2016, 1), state=CaseState.ARRIVED)  # safe: no
    add_figures(org, received=month(2016, 1), state=CaseState.CLOSED, outcome="relocated")
    add_figures(org, received=month(2017, 4), state=CaseState.CLOSED, outcome=CaseOutcome.MERGED)
    assert backlog_age([org], NONE, today) == [
        ("Under 1 month", 2),
        ("1 to 2 months", 1),
        ("3 to 5 months", 0),
        ("6 to 11 months", 1),
        ("1 year or more", 1),
    ]
    canada = backlog_age([org], FigureFilters(destination="CA"), today)
    assert [n for _label, n in canada] == [0, 0, 0, 0, 1]


def test_counts_by_each_dimension(world):
    org = world.organisation
    relocated(org, month(2017, 3), destination="CA", pathway="canada_gar", people=2)
    relocated(org, month(2017, 5), destination="DE", partner=world.partner_a, country="TJ")
    relocated(org, month(2017, 6))
    years = range(2017, 2018)

    def by(dimension, measure=Measure.RELOCATED, filters=NONE):
        return counts_by([org], measure, dimension, years, filters)

    assert by("destination") == {"CA": 2, "DE": 1, "": 1}
    assert by("pathway") == {"canada_gar": 2, "": 2}
    assert by("partner") == {str(world.partner_a.pk): 1, "": 3}
    assert by("crisis") == {"": 4}
    assert by("country", filters=FigureFilters(country="TJ")) == {"TJ": 1}
    add_requests(3, received=month(2017, 2), country="UA", referred_by=world.partner_a)
    assert by("country", Measure.REQUESTS) == {"UA": 3}
    assert by("partner", Measure.REQUESTS) == {str(world.partner_a.pk): 3}
    # Requests have no destination: counted from the cases received, by their people.
    assert by("destination", Measure.REQUESTS) == {"CA": 2, "DE": 1, "": 1}
    with pytest.raises(ValueError, match="unknown dimension"):
        by("codename")


def test_relocating_organisations_leaves_partners_out(world):
    assert world.organisation in relocating_organisations()
    assert world.partner_a not in relocating_organisations()
    other = Organisation.objects.create(name="Second haven", kind=OrganisationKind.RELOCATING)
    assert other in relocating_organisations()
