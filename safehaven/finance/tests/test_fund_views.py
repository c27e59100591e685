"""The funds pages: the overview with balances and the cost per person relocated, one fund,
making and changing a fund, thresholds; who may open them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from safehaven.core.event_types import EventType
from safehaven.countries.models import Crisis
from safehaven.finance.choices import GrantCategory
from safehaven.finance.models import Fund, GrantThreshold
from safehaven.finance.tests.funds_helpers import (
    events,
    fund_url,
    officer_client,
    other_fund,
    page,
)
from safehaven.finance.tests.helpers import approved_grant, donate, make_fund, officer

pytestmark = pytest.mark.django_db

LIST = "/en/staff/finance/funds/"
NEW = "/en/staff/finance/funds/new/"
THRESHOLDS = "/en/staff/finance/thresholds/"


def fund_post(**changes):
    return {
        "organisation": "",
        "name": "Chechnya response",
        "currency": "EUR",
        "target": "25000",
        "starts_on": "2027-01-01",
        "ends_on": "",
        "is_appeal": "on",
        "crisis": "",
        "allowed_categories": ["airfare", "shelter"],
        "allows_partner_grants": "on",
    } | changes


def test_it_lists_funds_with_their_balances(world):
    fund = make_fund(world, "USD", name="General")
    keys = officer()
    client = officer_client(world)
    donate(fund, "1000.00", donor="Sentinel Donor Aster", keys=keys)
    approved_grant(world, fund, "300")
    html = page(client.get(LIST))
    assert "General" in html
    assert "$1,000.00" in html  # donations
    assert "$300.00" in html  # granted, not paid
    assert "$700.00" in html  # available
    assert "Sentinel Donor Aster" not in html
    assert reverse("finance-show-fund", kwargs={"fund_id": fund.pk}) in html


def test_it_shows_the_cost_per_person_relocated(world):
    make_fund(world, "USD", name="General")
    html = page(officer_client(world).get(LIST + "?currency=usd"))
    assert 'id="cost-per-person-' in html
    assert "Cases closed as relocated" in html


def test_it_makes_a_fund_from_the_page(world):
    client = officer_client(world)
    crisis = Crisis.objects.create(
        name="North Caucasus", starts_on="2017-02-01", created_by=world.users["admin"]
    )
    posted = fund_post(organisation=world.organisation.pk, crisis=crisis.pk)
    response = client.post(NEW, posted)
    fund = Fund.objects.get(name="Chechnya response")
    assert response.status_code == 302
    assert response["Location"] == fund_url("finance-show-fund", fund)
    assert fund.currency == "EUR"
    assert fund.target == Decimal("25000")
    assert fund.crisis == crisis
    assert fund.is_appeal
    assert fund.allowed_categories == ["airfare", "shelter"]
    assert len(events(EventType.FUND_CREATED)) == 1
    html = page(client.get(fund_url("finance-show-fund", fund)))
    assert "North Caucasus" in html
    assert "€25,000.00" in html


def test_it_refuses_a_target_with_too_many_decimals(world):
    client = officer_client(world)
    posted = fund_post(organisation=world.organisation.pk, currency="JPY", target="100.5")
    html = page(client.post(NEW, posted))
    assert "JPY amounts have at most 0 decimals" in html
    assert not Fund.objects.exists()


def test_it_refuses_an_end_before_the_start(world):
    client = officer_client(world)
    posted = fund_post(organisation=world.organisation.pk, ends_on="2026-12-31")
    assert "A fund cannot end before it starts." in page(client.post(NEW, posted))
    assert not Fund.objects.exists()


def test_it_changes_a_fund_and_keeps_its_currency(world):
    fund = make_fund(world, "USD", name="General")
    client = officer_client(world)
    url = fund_url("finance-change-fund", fund)
    assert 'value="General"' in page(client.get(url))
    posted = fund_post(name="General fund", currency="EUR", allowed_categories=["legal_aid"])
    response = client.post(url, posted)
    assert response.status_code == 302
    fund.refresh_from_db()
    assert fund.name == "General fund"
    assert fund.currency == "USD"
    assert fund.allowed_categories == [GrantCategory.LEGAL_AID]
    changed = events(EventType.FUND_CHANGED)
    assert len(changed) == 1
    assert "General" not in changed[0].detail  # field names, never a value


def test_it_refuses_to_bless_a_fund_changed_outside_the_application(world):
    fund = make_fund(world, "USD", name="General", allowed_categories=["airfare"])
    Fund.objects.filter(pk=fund.pk).update(allowed_categories=[])  # a database writer
    client = officer_client(world)
    assert "does not match its checks" in page(client.get(fund_url("finance-show-fund", fund)))
    response = client.post(fund_url("finance-change-fund", fund), fund_post(name="Renamed"))
    assert "does not match its check" in page(response)
    fund.refresh_from_db()
    assert fund.name == "General"
    assert not events(EventType.FUND_CHANGED)


def test_it_sets_a_threshold(world):
    client = officer_client(world)
    posted = {"organisation": world.organisation.pk, "currency": "KWD", "amount": "150.250"}
    assert client.post(THRESHOLDS, posted).status_code == 302
    threshold = GrantThreshold.objects.get(currency="KWD")
    assert threshold.second_approval_above == Decimal("150.250")
    assert "KWD: a second finance officer above" in page(client.get(THRESHOLDS))
    posted["amount"] = "1.2345"
    assert "at most 3 decimals" in page(client.post(THRESHOLDS, posted))


@pytest.mark.parametrize("username", ["caseworker", "supervisor", "admin", "partner_a"])
@pytest.mark.parametrize("url", [LIST, NEW, THRESHOLDS])
def test_it_refuses_everyone_but_finance(world, staff_client, username, url):
    assert staff_client(username).get(url).status_code == 403


def test_it_hides_another_organisations_fund(world):
    foreign = other_fund()
    client = officer_client(world)
    for name in ("finance-show-fund", "finance-change-fund"):
        assert client.get(fund_url(name, foreign)).status_code == 404
    assert "Elsewhere fund" not in page(client.get(LIST))
    posted = fund_post(organisation=foreign.organisation_id)
    assert "Select a valid choice" in page(client.post(NEW, posted))
