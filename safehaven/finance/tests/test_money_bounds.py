"""Amounts and rates written with a large exponent ("1e30") are refused with a message, never
a crash of Decimal's quantize (a 500): by the money functions, the forms, the CSV import
("Line N: …") and the actions, and a conversion larger than an amount column is refused too."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.finance.donations.actions import Conversion, do_record_donation
from safehaven.finance.donations.csv_import import ImportRefused, read_donations
from safehaven.finance.models import Disbursement, Donation
from safehaven.finance.money import MoneyError, amount_in, converted, exchange_rate
from safehaven.finance.tests.funds_helpers import fund_url, officer_client
from safehaven.finance.tests.grant_view_helpers import browser, funded, grant_url, payment
from safehaven.finance.tests.helpers import approved_grant, finance_team, make_fund, officer, pay

pytestmark = pytest.mark.django_db

HUGE = ("1e30", "1E+999999", "-1e30", "9e15")


@pytest.mark.parametrize("value", HUGE)
def test_it_refuses_an_amount_with_a_huge_exponent(value):
    with pytest.raises(MoneyError, match="too large"):
        amount_in(value, "USD")


@pytest.mark.parametrize("value", ["1e30", "1E+999999", "1e-999999"])
def test_it_refuses_a_rate_with_a_huge_exponent(value):
    with pytest.raises(MoneyError):
        exchange_rate(value)


def test_it_takes_an_exponent_that_stays_within_the_column():
    assert amount_in("1.5e3", "USD") == Decimal("1500.00")


def test_it_refuses_a_conversion_larger_than_an_amount_column():
    with pytest.raises(MoneyError, match="At this rate the amount is too large"):
        converted(Decimal("999999999999"), Decimal("999999"), "USD")


def test_it_names_the_line_of_a_huge_amount_in_an_import(world):
    fund = make_fund(world, "USD")
    data = (
        b"received_on,amount,currency,rate,rate_on,donor_name\n"
        b"2027-03-01,10,,,,\n"
        b"2027-03-01,1e30,,,,\n"
        b"2027-03-01,100,GBP,1e30,2027-03-01,\n"
        b"2027-03-01,999999999999,GBP,999999,2027-03-01,\n"
    )
    with pytest.raises(ImportRefused) as refused:
        read_donations(fund, data, today=datetime.date(2027, 4, 1))
    assert [str(problem) for problem in refused.value.problems] == [
        "Line 3: “1e30” is too large.",
        "Line 4: “1e30” is too large.",
        "Line 5: At this rate the amount is too large.",
    ]


def test_it_refuses_a_huge_conversion_in_the_actions(world):
    finance_team(world)
    fund = make_fund(world, "USD")
    huge = Conversion("999999999999", "GBP", "999999", datetime.date(2027, 3, 1))
    with pytest.raises(CaseActionRefused, match="too large"):
        do_record_donation(
            fund, received_on=datetime.date(2027, 3, 1), conversion=huge, **officer()
        )
    do_record_donation(fund, received_on=datetime.date(2027, 3, 1), amount="100", **officer())
    grant = approved_grant(world, fund, "50")
    with pytest.raises(CaseActionRefused, match="too large"):
        pay(grant, "999999999999", currency_code="RUB", rate="999999", keys=officer())
    assert Donation.objects.count() == 1


def test_it_shows_a_huge_amount_on_the_donation_form(world):
    fund = make_fund(world, "USD")
    client = officer_client(world)
    today = timezone.localdate().isoformat()
    for amount, currency, rate in (("1e30", "", ""), ("100", "GBP", "1e30")):
        posted = {
            "received_on": today,
            "amount": amount,
            "currency": currency,
            "rate": rate,
            "rate_on": today if rate else "",
            "donor_name": "",
        }
        response = client.post(fund_url("finance-record-donation", fund), posted)
        assert response.status_code == 200
        assert "is too large." in response.content.decode()
    assert not Donation.objects.exists()


def test_it_shows_a_huge_amount_on_the_disbursement_form(world):
    fund = funded(world, "1000")
    grant = approved_grant(world, fund, "300")
    client = browser(world, "finance")
    url = grant_url("finance-record-disbursement", grant)
    for posted in (
        payment(amount="1e30", payee_name="A payee"),
        payment(amount="10", currency="RUB", rate="1e30", rate_on="2027-03-14"),
        payment(amount="999999999999", currency="RUB", rate="999999", rate_on="2027-03-14"),
    ):
        response = client.post(url, posted)
        assert response.status_code == 200
        assert "too large" in response.content.decode()
    assert not Disbursement.objects.exists()
