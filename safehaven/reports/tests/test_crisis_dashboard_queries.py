"""The crisis dashboard's figures, counted by hand: inflow per day, backlog by risk and months
waited, who handles the open cases, partners' referrals; and a constant number of queries
however large the crisis."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.countries.models import CrisisInflow
from safehaven.intake.choices import RequestStatus, RiskBand
from safehaven.reports.crisis_dashboard.queries import (
    CrisisScope,
    crisis_dashboard,
    crisis_summaries,
    inflow_by_day,
    months_waited,
)
from safehaven.reports.tests.crisis_dashboard_helpers import (
    TODAY,
    assign,
    count_inflow,
    make_crisis,
    tagged_case,
    tagged_requests,
)

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2027, 3, 1)
FEBRUARY = datetime.date(2027, 2, 1)
LAST_YEAR = datetime.date(2026, 7, 1)


def scope_of(crisis, world) -> CrisisScope:
    return CrisisScope.for_reader(crisis, [world.organisation.pk])


def cells(grid) -> dict[str, list[int]]:
    return {row.band: row.counts for row in grid.rows}


def test_it_draws_the_last_30_days_with_empty_days_as_zero(world):
    crisis = make_crisis(world.users["admin"], starts_on=datetime.date(2027, 1, 1))
    count_inflow(crisis, TODAY, 4)
    count_inflow(crisis, TODAY - datetime.timedelta(days=29), 2)
    count_inflow(crisis, TODAY - datetime.timedelta(days=30), 99)  # before the window
    inflow = inflow_by_day(scope_of(crisis, world), TODAY)
    assert len(inflow) == 30
    assert inflow[0] == (TODAY - datetime.timedelta(days=29), 2)
    assert inflow[-1] == (TODAY, 4)
    assert sum(count for _day, count in inflow) == 6


def test_it_starts_the_inflow_with_the_crisis_and_ends_it_with_the_crisis(world):
    young = make_crisis(world.users["admin"], starts_on=TODAY - datetime.timedelta(days=2))
    assert [day for day, _count in inflow_by_day(scope_of(young, world), TODAY)] == [
        TODAY - datetime.timedelta(days=2),
        TODAY - datetime.timedelta(days=1),
        TODAY,
    ]
    ended_on = TODAY - datetime.timedelta(days=10)
    ended = make_crisis(world.users["admin"], starts_on=datetime.date(2026, 1, 1), ends_on=ended_on)
    count_inflow(ended, ended_on, 3)
    inflow = inflow_by_day(scope_of(ended, world), TODAY)
    assert inflow[0][0] == ended_on - datetime.timedelta(days=29)
    assert inflow[-1] == (ended_on, 3)
    future = make_crisis(world.users["admin"], starts_on=TODAY + datetime.timedelta(days=1))
    assert inflow_by_day(scope_of(future, world), TODAY) == []


def test_it_draws_no_day_older_than_the_daily_counts_are_kept(world):
    """Retention folds day counts older than 60 days into their month's first day: a crisis
    that ended long ago draws no days at all, rather than one day's flood."""
    long_ago = make_crisis(
        world.users["admin"],
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 6, 30),
    )
    count_inflow(long_ago, datetime.date(2026, 6, 1), 40)  # June, folded
    assert inflow_by_day(scope_of(long_ago, world), TODAY) == []
    fading = make_crisis(world.users["admin"], starts_on=datetime.date(2026, 1, 1))
    assert inflow_by_day(scope_of(fading, world), TODAY)[0][0] == TODAY - datetime.timedelta(
        days=29
    )


def test_it_counts_the_request_backlog_by_risk_and_months_waited(world):
    crisis = make_crisis(world.users["admin"])
    other = make_crisis(world.users["admin"], "Elsewhere")
    tagged_requests(crisis, 3, month=MARCH, band=RiskBand.CRITICAL)
    tagged_requests(
        crisis, 2, month=FEBRUARY, band=RiskBand.CRITICAL, status=RequestStatus.REVIEWING
    )
    tagged_requests(
        crisis, 1, month=LAST_YEAR, band=RiskBand.LOW, status=RequestStatus.WILL_CONTACT
    )
    # Not in the backlog: answered, withdrawn, become a case, erased, another crisis, none.
    tagged_requests(crisis, 1, month=MARCH, status=RequestStatus.CLOSED)
    tagged_requests(crisis, 1, month=MARCH, status=RequestStatus.WITHDRAWN)
    tagged_requests(crisis, 1, month=MARCH, status=RequestStatus.IN_PROGRESS)
    tagged_requests(crisis, 1, month=MARCH, shredded=True)
    tagged_requests(other, 5, month=MARCH)
    tagged_requests(None, 5, month=MARCH)
    grid = crisis_dashboard(scope_of(crisis, world), TODAY).request_backlog
    assert cells(grid) == {
        "Critical": [3, 2, 0, 0, 0],
        "High": [0, 0, 0, 0, 0],
        "Medium": [0, 0, 0, 0, 0],
        "Low": [0, 0, 0, 0, 1],
    }
    assert grid.column_totals == [3, 2, 0, 0, 1]
    assert grid.total == 6


def test_it_counts_cases_before_verification_of_the_readers_organisations(world):
    crisis = make_crisis(world.users["admin"])
    elsewhere = Organisation.objects.create(name="Elsewhere", kind=OrganisationKind.RELOCATING)
    organisation = world.organisation
    tagged_case(crisis, organisation, month=MARCH, state=CaseState.RECEIVED)
    tagged_case(crisis, organisation, month=MARCH, state=CaseState.SCREENING, band=RiskBand.LOW)
    into = tagged_case(crisis, organisation, month=LAST_YEAR, state=CaseState.VERIFICATION)
    tagged_case(crisis, organisation, month=MARCH, state=CaseState.CLOSED, merged_into=into)
    tagged_case(crisis, organisation, month=MARCH, state=CaseState.SCREENING, merged_into=into)
    tagged_case(crisis, organisation, month=MARCH, state=CaseState.VERIFIED)
    tagged_case(crisis, elsewhere, month=MARCH, state=CaseState.SCREENING)
    tagged_case(None, organisation, month=MARCH, state=CaseState.SCREENING)
    grid = crisis_dashboard(scope_of(crisis, world), TODAY).case_backlog
    assert cells(grid)["High"] == [1, 0, 0, 0, 1]
    assert cells(grid)["Low"] == [1, 0, 0, 0, 0]
    assert grid.total == 3


def test_it_says_who_handles_the_open_cases(world):
    crisis = make_crisis(world.users["admin"])
    organisation = world.organisation
    caseworker, interpreter = world.users["caseworker"], world.users["interpreter"]
    caseworker.first_name, caseworker.last_name = "Ama", "Mensah"
    caseworker.save()
    first = tagged_case(crisis, organisation, month=MARCH, state=CaseState.PLANNING)
    second = tagged_case(crisis, organisation, month=MARCH, state=CaseState.SCREENING)
    finished = tagged_case(crisis, organisation, month=MARCH, state=CaseState.CLOSED)
    tagged_case(crisis, organisation, month=MARCH, state=CaseState.RECEIVED)  # nobody's
    outside = tagged_case(None, organisation, month=MARCH)
    for case in (first, second, finished, outside):
        assign(case, caseworker)
    assign(first, interpreter, AssignmentRole.INTERPRETER)
    dashboard = crisis_dashboard(scope_of(crisis, world), TODAY)
    assert [(h.name, h.role, h.cases) for h in dashboard.handlers] == [
        ("Ama Mensah", "Caseworker", 2),
        ("interpreter", "Interpreter", 1),
    ]
    assert dashboard.unassigned_cases == 1


def test_it_counts_each_partners_referrals_in_the_crisis(world):
    crisis = make_crisis(world.users["admin"], partners=[world.partner_a, world.partner_b])
    other = make_crisis(world.users["admin"], "Elsewhere")
    tagged_requests(crisis, 3, month=MARCH, referred_by=world.partner_a)
    tagged_requests(
        crisis, 1, month=FEBRUARY, referred_by=world.partner_a, status=RequestStatus.CLOSED
    )
    tagged_requests(other, 7, month=MARCH, referred_by=world.partner_b)
    tagged_requests(None, 7, month=MARCH, referred_by=world.partner_b)
    partners = crisis_dashboard(scope_of(crisis, world), TODAY).partners
    # By name: partner B's "Queer Shelter South" before partner A's "Rainbow Network East".
    assert [(p.name, p.referrals) for p in partners] == [
        (world.partner_b.name, 0),
        (world.partner_a.name, 4),
    ]


def test_it_lists_open_crises_first_with_their_requests_so_far(world):
    admin = world.users["admin"]
    ended = make_crisis(
        admin, "Ended", starts_on=datetime.date(2027, 2, 1), ends_on=TODAY.replace(day=1)
    )
    make_crisis(admin, "Old and open", starts_on=datetime.date(2020, 1, 1))
    new = make_crisis(admin, "New", starts_on=datetime.date(2027, 3, 1))
    count_inflow(ended, datetime.date(2027, 2, 3), 5)
    count_inflow(ended, datetime.date(2027, 2, 4), 6)
    count_inflow(new, TODAY, 1)
    summaries = crisis_summaries(CrisisInflow.objects.all(), TODAY)
    assert [(s.crisis.name, s.is_open, s.requests) for s in summaries] == [
        ("New", True, 1),
        ("Old and open", True, 0),
        ("Ended", False, 11),
    ]


def test_it_counts_nothing_in_a_scope_of_nothing(world):
    crisis = make_crisis(world.users["admin"], partners=[world.partner_a])
    tagged_requests(crisis, 2, month=MARCH, referred_by=world.partner_a)
    assign(tagged_case(crisis, world.organisation, month=MARCH), world.users["caseworker"])
    count_inflow(crisis, TODAY, 2)
    dashboard = crisis_dashboard(CrisisScope.nothing(crisis), TODAY)
    assert dashboard.inflow_total == 0
    assert len(dashboard.inflow) == 30
    assert dashboard.request_backlog.total == dashboard.case_backlog.total == 0
    assert dashboard.handlers == []
    assert dashboard.unassigned_cases == 0
    assert [(p.name, p.referrals) for p in dashboard.partners] == [(world.partner_a.name, 0)]


def test_it_counts_months_waited_from_the_month_of_arrival():
    assert months_waited(datetime.date(2027, 3, 1), TODAY) == 0
    assert months_waited(datetime.date(2026, 12, 1), TODAY) == 3
    assert months_waited(datetime.date(2027, 4, 1), TODAY) == 0  # a clock behind: never negative


def test_it_reads_a_crisis_of_10000_requests_in_a_few_grouped_queries(world):
    crisis = make_crisis(world.users["admin"], partners=[world.partner_a])
    caseworker = world.users["caseworker"]
    for band, month in ((RiskBand.HIGH, MARCH), (RiskBand.LOW, LAST_YEAR)):
        tagged_requests(crisis, 4000, month=month, band=band)
    tagged_requests(crisis, 2000, month=FEBRUARY, referred_by=world.partner_a)
    for _ in range(40):
        assign(tagged_case(crisis, world.organisation, month=MARCH), caseworker)
        tagged_case(crisis, world.organisation, month=FEBRUARY, state=CaseState.PLANNING)
    for day in range(30):
        count_inflow(crisis, TODAY - datetime.timedelta(days=day), 300)
    with CaptureQueriesContext(connection) as queries:
        dashboard = crisis_dashboard(scope_of(crisis, world), TODAY)
    assert dashboard.request_backlog.total == 10000
    assert dashboard.inflow_total == 9000
    assert dashboard.case_backlog.total == 40
    assert [(h.cases, h.role) for h in dashboard.handlers] == [(40, "Caseworker")]
    assert dashboard.unassigned_cases == 40
    assert dashboard.partners[0].referrals == 2000
    assert len(queries) <= 7, [query["sql"] for query in queries]
    for query in queries:
        # Grouped counts: never the requests' rows (nor their sealed columns).
        assert "situation" not in query["sql"]
        assert "contacts" not in query["sql"]
