"""The budget pages: setting a line (a year or a month), and a year's budget against what was
paid out, by category and month."""

from decimal import Decimal

import pytest

from safehaven.core.event_types import EventType
from safehaven.finance.models import BudgetLine
from safehaven.finance.tests.funds_helpers import events, officer_client, page
from safehaven.finance.tests.helpers import (
    approved_grant,
    finance_team,
    make_fund,
    officer,
    pay,
)
from safehaven.finance.tests.helpers import donate as give

pytestmark = pytest.mark.django_db

SHOW = "/en/staff/finance/budget/"
SET = "/en/staff/finance/budget/set/"


def line_post(world, **changes):
    return {
        "organisation": world.organisation.pk,
        "year": "2027",
        "month": "",
        "category": "airfare",
        "currency": "USD",
        "amount": "1000",
    } | changes


def test_it_sets_a_line_and_replaces_it(world):
    client = officer_client(world)
    response = client.post(SET, line_post(world))
    assert response.status_code == 302
    assert response["Location"] == f"{SHOW}?year=2027"
    client.post(SET, line_post(world, amount="1200.50"))
    line = BudgetLine.objects.get()
    assert (line.year, line.month, line.amount) == (2027, None, Decimal("1200.50"))
    assert len(events(EventType.BUDGET_LINE_SET)) == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"month": "13"}, "Select a valid choice"),
        ({"year": "1999"}, "greater than or equal to 2000"),
        ({"amount": "10.001"}, "USD amounts have at most 2 decimals"),
        ({"currency": "ZZZ"}, "Select a valid choice"),
    ],
)
def test_it_refuses_a_bad_line(world, changes, message):
    html = page(officer_client(world).post(SET, line_post(world, **changes)))
    assert message in html
    assert not BudgetLine.objects.exists()


def test_it_shows_the_budget_against_what_was_spent(world):
    finance_team(world)
    keys = officer()
    fund = make_fund(world, "USD", name="General")
    give(fund, "2000", keys=keys)
    grant = approved_grant(world, fund, "500")
    pay(grant, "150", keys=keys)  # paid on 15 March 2027
    client = officer_client(world)
    client.post(SET, line_post(world))
    client.post(SET, line_post(world, month="3", amount="100"))
    html = page(client.get(f"{SHOW}?year=2027"))
    assert "$1,000.00" in html  # the year's line
    assert "$850.00" in html  # left of it
    assert "over budget" in html  # March: 150 spent against 100
    assert "-$50.00" in html
    grid = html.split('id="spent-')[1]
    assert "$150.00" in grid
    assert html.count("Airfare") >= 3


def test_it_shows_another_year_empty(world):
    html = page(officer_client(world).get(f"{SHOW}?year=2031"))
    assert "Budget against spent, 2031" in html
    assert "No budget line for this year." in html


@pytest.mark.parametrize("username", ["caseworker", "supervisor", "admin", "advocacy"])
def test_it_is_for_finance_only(world, staff_client, username):
    client = staff_client(username)
    assert client.get(SHOW).status_code == 403
    assert client.post(SET, line_post(world)).status_code == 403
    assert not BudgetLine.objects.exists()
