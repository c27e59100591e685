"""The donations pages: recording a gift by hand (in the fund's currency or another, named or
anonymous), the list without names, and donors' names opened only on a post, audited."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from safehaven.core.event_types import EventType
from safehaven.finance.models import Donation
from safehaven.finance.tests.funds_helpers import (
    events,
    fund_url,
    mark_fresh,
    officer_client,
    other_fund,
    page,
)
from safehaven.finance.tests.helpers import donate, finance_team, make_fund, officer

pytestmark = pytest.mark.django_db

DONOR = "Sentinel-Donor Ilsabet Marrow"
LAST_WEEK = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()


def gift(**changes):
    return {
        "received_on": LAST_WEEK,
        "amount": "250.00",
        "currency": "",
        "rate": "",
        "rate_on": "",
        "donor_name": DONOR,
    } | changes


def test_it_records_a_named_gift_and_hides_the_name_until_asked(world):
    fund = make_fund(world, "USD", name="General")
    client = officer_client(world)
    response = client.post(fund_url("finance-record-donation", fund), gift())
    assert response.status_code == 302
    assert response["Location"] == fund_url("finance-list-donations", fund)
    donation = Donation.objects.get()
    assert donation.amount == Decimal("250")
    assert DONOR.encode() not in bytes(donation.donor_name)
    listed = client.get(fund_url("finance-list-donations", fund))
    assert "no-store" in listed["Cache-Control"]
    html = page(listed)
    assert "$250.00" in html
    assert DONOR not in html
    assert not events(EventType.DONOR_NAMES_VIEWED)
    opened = page(client.post(fund_url("finance-list-donations", fund)))
    assert DONOR in opened
    viewed = events(EventType.DONOR_NAMES_VIEWED)
    assert len(viewed) == 1
    assert viewed[0].actor_id == world.users["finance"].pk
    assert DONOR not in viewed[0].detail


def test_it_records_a_gift_in_another_currency_at_the_rate_entered(world):
    fund = make_fund(world, "USD", name="General")
    client = officer_client(world)
    posted = gift(amount="100.00", currency="GBP", rate="1.2705", rate_on=LAST_WEEK)
    assert client.post(fund_url("finance-record-donation", fund), posted).status_code == 302
    donation = Donation.objects.get()
    assert donation.amount == Decimal("127.05")
    assert donation.original_currency == "GBP"
    assert donation.rate == Decimal("1.2705")
    html = page(client.get(fund_url("finance-list-donations", fund)))
    assert "£100.00 at 1.2705" in html


def test_it_shows_an_anonymous_gift_as_anonymous(world):
    fund = make_fund(world, "USD", name="General")
    client = officer_client(world)
    client.post(fund_url("finance-record-donation", fund), gift(donor_name=""))
    html = page(client.post(fund_url("finance-list-donations", fund)))
    assert "anonymous" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "10.001"}, "USD amounts have at most 2 decimals"),
        ({"amount": "-5"}, "An amount must be more than zero."),
        ({"currency": "GBP"}, "A gift in another currency needs the rate used."),
        ({"rate": "1.1", "rate_on": LAST_WEEK}, "has no rate"),
        ({"currency": "GBP", "rate": "0", "rate_on": LAST_WEEK}, "must be more than zero"),
        ({"received_on": "2999-01-01"}, "This day is after today."),
    ],
)
def test_it_refuses_a_bad_gift_and_saves_nothing(world, changes, message):
    fund = make_fund(world, "USD", name="General")
    client = officer_client(world)
    html = page(client.post(fund_url("finance-record-donation", fund), gift(**changes)))
    assert message in html
    assert not Donation.objects.exists()


def test_it_marks_a_name_that_does_not_match_its_seal(world):
    finance_team(world)
    fund = make_fund(world, "USD", name="General")
    keys = officer()
    first = donate(fund, "10", donor="First", keys=keys)
    second = donate(fund, "20", donor="Second", keys=keys)
    # A database writer swaps two sealed names: each is bound to its own row.
    Donation.objects.filter(pk=first.pk).update(donor_name=second.donor_name)
    html = page(officer_client(world).post(fund_url("finance-list-donations", fund)))
    assert "does not match its seal" in html
    assert "Second" in html  # the second row still opens


def test_it_shows_no_name_without_an_unlocked_key(world, staff_client):
    finance_team(world)
    fund = make_fund(world, "USD", name="General")
    donate(fund, "10", donor=DONOR, keys=officer())
    client = staff_client("finance")  # logged in without the password: no key in the session
    mark_fresh(client, world.users["finance"], "password", "mfa")
    html = page(client.post(fund_url("finance-list-donations", fund)))
    assert "Your key is not unlocked" in html
    assert DONOR not in html
    assert not events(EventType.DONOR_NAMES_VIEWED)


@pytest.mark.parametrize("username", ["caseworker", "supervisor", "admin", "triage"])
def test_it_never_shows_donations_to_anyone_but_finance(world, staff_client, username):
    finance_team(world)
    fund = make_fund(world, "USD", name="General")
    donate(fund, "10", donor=DONOR, keys=officer())
    client = staff_client(username)
    for name in ("finance-list-donations", "finance-record-donation", "finance-import-donations"):
        assert client.get(fund_url(name, fund)).status_code == 403
        response = client.post(fund_url(name, fund))
        assert response.status_code == 403
        assert DONOR not in response.content.decode()


def test_it_hides_another_organisations_donations(world):
    foreign = other_fund()
    client = officer_client(world)
    for name in ("finance-list-donations", "finance-record-donation", "finance-import-donations"):
        assert client.get(fund_url(name, foreign)).status_code == 404
    assert client.post(fund_url("finance-record-donation", foreign), gift()).status_code == 404
    assert not Donation.objects.exists()
