"""Small cells on the staff dashboard: readers who may not open cases (advocacy,
administrators) see every count under 5 as "fewer than 5", so the filters cannot narrow the
page down to one household and its month of arrival; readers who open cases (triage,
supervisors) already see each case and keep the exact figures."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safehaven.accounts.access import Perm, has_perm
from safehaven.accounts.models import Membership, Organisation, OrganisationKind, Role
from safehaven.cases.choices import CaseState
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.reports.dashboard.pages import dashboard_page
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.models import YearlyGoal
from safehaven.reports.tests.dashboard_helpers import (
    DASHBOARD_URL,
    FEWER,
    add_case,
    add_requests,
    funnel_2019,
    row,
    section,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def advocacy(world: Any) -> Any:
    return staff_client_with_keys(world, "advocacy")


def test_it_hides_the_small_cells_of_the_funnel_from_the_advocacy_role(
    world: Any, advocacy: Any
) -> None:
    funnel_2019(world)
    page = advocacy.get(DASHBOARD_URL, {"year": "2019"}).content.decode()
    assert row("Asked for help", FEWER) in page
    assert row("Verified", 5) in page
    assert row("Supported", FEWER) in page
    assert row("Relocated", FEWER) in page
    years = section(page, "dashboard-funnel-by-year")
    assert (
        f'<th scope="row">2019</th><td>{FEWER}</td><td>5</td><td>{FEWER}</td><td>{FEWER}</td>'
        in years
    )
    assert "<td>4</td>" not in years
    assert "<td>2</td>" not in years


def test_it_hides_the_small_cells_from_an_administrator(world: Any, staff_client: Any) -> None:
    funnel_2019(world)
    page = staff_client("admin").get(DASHBOARD_URL, {"year": "2019"}).content.decode()
    assert row("Asked for help", FEWER) in page
    assert row("Verified", 5) in page


@pytest.mark.parametrize("username", ["triage", "supervisor"])
def test_it_keeps_the_exact_figures_for_those_who_open_cases(
    world: Any, staff_client: Any, username: str
) -> None:
    funnel_2019(world)
    page = staff_client(username).get(DASHBOARD_URL, {"year": "2019"}).content.decode()
    assert row("Asked for help", 4) in page
    assert row("Supported", 2) in page
    assert FEWER not in section(page, "dashboard-funnel")


def test_it_does_not_narrow_to_one_persons_time_to_safety(world: Any, advocacy: Any) -> None:
    # The attack: narrow by country, pathway, destination... to one person, read the wait.
    add_case(
        world,
        received=datetime.date(2019, 3, 1),
        arrived=datetime.date(2020, 1, 1),
        country="KG",
        destination="DE",
        state=CaseState.ARRIVED,
    )
    query = {"year": "2020", "country": "KG", "destination": "DE"}
    page = advocacy.get(DASHBOARD_URL, query).content.decode()
    safety = section(page, "dashboard-safety")
    assert "Half of the people who arrived waited" not in safety
    assert (
        "Fewer than 5 people counted here arrived in this year: the median is not shown." in safety
    )
    assert "<td>1</td>" not in safety
    assert safety.count(f"<td>{FEWER}</td>") == 5  # every bucket, the 1 and the 0s alike
    assert row("Relocated", FEWER) in page


def test_it_hides_a_wait_that_the_years_total_would_give_away(world: Any, advocacy: Any) -> None:
    # 6 people waited under 3 months, 2 waited 3 to 5: the relocated total (8) is on the page,
    # so hiding only the 2 would leave it as 8 - 6; the 6 is hidden with it.
    add_case(
        world,
        received=datetime.date(2020, 1, 1),
        arrived=datetime.date(2020, 2, 1),
        people=6,
        state=CaseState.ARRIVED,
    )
    add_case(
        world,
        received=datetime.date(2019, 11, 1),
        arrived=datetime.date(2020, 3, 1),
        people=2,
        state=CaseState.ARRIVED,
    )
    page = advocacy.get(DASHBOARD_URL, {"year": "2020"}).content.decode()
    safety = section(page, "dashboard-safety")
    assert row("Relocated", 8) in page
    assert row("Under 3 months", FEWER) in safety
    assert row("3 to 5 months", FEWER) in safety
    # Eight people counted: the median tells nothing of one of them.
    assert "Half of the people who arrived waited 1 months or less" in safety


def test_it_hides_a_small_backlog(world: Any, advocacy: Any, staff_client: Any) -> None:
    add_requests(3, received=timezone.localdate().replace(day=1))
    hidden = section(advocacy.get(DASHBOARD_URL).content.decode(), "dashboard-backlog")
    shown = section(staff_client("triage").get(DASHBOARD_URL).content.decode(), "dashboard-backlog")
    assert row("Under 1 month", FEWER) in hidden
    assert row("Under 1 month", 3) in shown


def _goal_of(world: Any, people: int) -> None:
    month = timezone.localdate().replace(day=1)
    add_case(world, received=month, arrived=month, people=people, state=CaseState.ARRIVED)
    YearlyGoal.objects.create(
        organisation=world.organisation,
        year=month.year,
        relocations=100,
        set_by=world.users["admin"],
    )


def test_it_hides_a_small_goal_progress(world: Any, advocacy: Any) -> None:
    _goal_of(world, 3)
    goal = section(advocacy.get(DASHBOARD_URL).content.decode(), "dashboard-goal")
    assert "Fewer than 5 people relocated so far of a goal of 100." in goal
    assert "3%" not in goal
    assert row("Goal", 100) in goal
    assert row("Relocated so far", FEWER) in goal


def test_it_shows_a_goal_progress_of_five_or_more(world: Any, advocacy: Any) -> None:
    _goal_of(world, 6)
    goal = section(advocacy.get(DASHBOARD_URL).content.decode(), "dashboard-goal")
    assert "6 people relocated so far of a goal of 100 (6%)." in goal
    assert row("Relocated so far", 6) in goal


def test_it_hides_small_counts_of_requests_to_governments(world: Any, advocacy: Any) -> None:
    page = advocacy.get(DASHBOARD_URL, {"year": "2019"}).content.decode()
    assert row("Requests decided", FEWER) in section(page, "dashboard-advocacy")


def test_it_suppresses_without_a_query_more(world: Any) -> None:
    funnel_2019(world)
    organisations = [world.organisation]
    today = datetime.date(2020, 6, 1)

    def queries(*, suppress: bool) -> int:
        with CaptureQueriesContext(connection) as captured:
            dashboard_page(
                organisations, FigureFilters(), range(2011, 2021), today, suppress=suppress
            )
        return len(captured)

    assert queries(suppress=True) == queries(suppress=False)


def test_it_hides_small_cells_from_one_who_opens_cases_only_elsewhere(
    world: Any, advocacy: Any
) -> None:
    # Triage in another organisation opens none of this one's cases: its counts stay hidden.
    other = Organisation.objects.create(name="Another shelter", kind=OrganisationKind.RELOCATING)
    Membership.objects.create(user=world.users["advocacy"], organisation=other, role=Role.TRIAGE)
    assert has_perm(world.users["advocacy"], Perm.OPEN_CASES)
    funnel_2019(world)
    page = advocacy.get(DASHBOARD_URL, {"year": "2019"}).content.decode()
    assert row("Asked for help", FEWER) in page
