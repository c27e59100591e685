"""A finance officer coerced into logging in with their duress password: the funds pages look
empty, a fund is not found, no donor's name opens and nothing is made."""

import pytest

from safehaven.accounts.tests.duress_logins import DURESS, log_in
from safehaven.core.event_types import EventType
from safehaven.finance.models import Fund
from safehaven.finance.tests.funds_helpers import events, fund_url, page
from safehaven.finance.tests.helpers import donate, finance_team, make_fund, officer
from safehaven.keys.actions.duress import do_set_duress_password

pytestmark = pytest.mark.django_db

DONOR = "Sentinel-Donor Halvard Prim"


def test_it_shows_a_coerced_officer_nothing(world):
    finance_team(world)
    fund = make_fund(world, "USD", name="General")
    donate(fund, "100", donor=DONOR, keys=officer())
    do_set_duress_password(world.users["finance"], DURESS, actor=world.users["finance"])
    client = log_in(world, "finance", DURESS)
    html = page(client.get("/en/staff/finance/funds/"))
    assert "General" not in html
    assert "There are no funds for you to see." in html
    for name in ("finance-show-fund", "finance-list-donations", "finance-show-fund-statement"):
        assert client.get(fund_url(name, fund)).status_code == 404
    response = client.post(fund_url("finance-list-donations", fund))
    assert response.status_code == 404
    assert DONOR not in response.content.decode()
    posted = {"organisation": world.organisation.pk, "name": "Decoy", "currency": "USD"}
    client.post("/en/staff/finance/funds/new/", posted | {"starts_on": "2027-01-01"})
    assert Fund.objects.count() == 1
    assert not events(EventType.DONOR_NAMES_VIEWED)
