"""A fund's statement: balances, entries with running figures, months, print styles; opened by
finance officers only, each opening audited; never a donor, payee or reference on it; nothing
shown from a journal changed outside the application."""

import datetime

import pytest

from safehaven.core.event_types import EventType
from safehaven.finance.corrections.actions import do_reverse_entry
from safehaven.finance.disbursements.sealing import PayeeDetails
from safehaven.finance.models import JournalEntry, JournalLine
from safehaven.finance.tests.funds_helpers import events, fund_url, officer_client, other_fund, page
from safehaven.finance.tests.helpers import (
    DAY,
    approved_grant,
    donate,
    finance_team,
    make_fund,
    officer,
    pay,
)

pytestmark = pytest.mark.django_db

DONOR = "Sentinel-Donor Oriel Vantstock"
PAYEE = "Sentinel-Payee Brannoch Feld"
REFERENCE = "Sentinel-Reference QX-4471"


def fund_with_money(world):
    finance_team(world)
    keys = officer()
    fund = make_fund(world, "USD", name="General")
    donate(fund, "1000", donor=DONOR, keys=keys)
    mistaken = donate(fund, "50", keys=keys)
    grant = approved_grant(world, fund, "400")
    pay(grant, "150", payee=PayeeDetails(name=PAYEE), reference=REFERENCE, keys=keys)
    entry = JournalEntry.objects.get(donation=mistaken)
    do_reverse_entry(entry, **officer("finance"), posted_on=DAY)
    return fund, grant


def test_it_shows_balances_entries_and_months(world):
    fund, grant = fund_with_money(world)
    client = officer_client(world)
    response = client.get(fund_url("finance-show-fund-statement", fund))
    html = page(response)
    assert "no-store" in response["Cache-Control"]
    assert "finance/statement_print" in html  # its print styles
    assert 'class="statement-print"' in html or "statement-print" in html
    for entry in JournalEntry.objects.filter(fund=fund):
        assert f'id="entry-{entry.sequence}"' in html
    assert f"grant #{grant.pk}" in html
    assert f"case #{grant.case_id}" in html
    assert "$850.00" in html  # cash at the end: 1,000 + 50 - 50 - 150
    assert "$600.00" in html  # available at the end: 1,000 - 400
    assert "March 2027" in html
    for secret in (DONOR, PAYEE, REFERENCE):
        assert secret not in html


def test_it_audits_each_opening(world):
    fund, _grant = fund_with_money(world)
    client = officer_client(world)
    client.get(fund_url("finance-show-fund-statement", fund))
    client.get(fund_url("finance-show-fund-statement", fund) + "?year=2027")
    viewed = events(EventType.FUND_STATEMENT_VIEWED)
    assert [event.detail for event in viewed] == ["since it began", "year 2027"]
    assert all(event.target_ref == str(fund.pk) for event in viewed)


def test_it_shows_one_year_with_its_opening_balances(world):
    fund, _grant = fund_with_money(world)
    html = page(
        officer_client(world).get(fund_url("finance-show-fund-statement", fund) + "?year=2028")
    )
    assert "the year 2028" in html
    assert "Nothing was posted in this period." in html
    assert html.count("$850.00") == 2  # cash at the start and at the end of 2028


def test_it_shows_no_figure_from_a_changed_journal(world):
    fund, _grant = fund_with_money(world)
    line = JournalLine.objects.filter(fund=fund).order_by("pk").first()
    assert line is not None
    JournalLine.objects.filter(pk=line.pk).update(amount=line.amount * 2)
    html = page(officer_client(world).get(fund_url("finance-show-fund-statement", fund)))
    assert 'id="statement-tampered"' in html
    assert "$850.00" not in html
    assert 'id="entry-' not in html


def test_it_orders_entries_by_their_day(world):
    finance_team(world)
    keys = officer()
    fund = make_fund(world, "USD", name="General")
    from safehaven.finance.donations.actions import do_record_donation

    later = do_record_donation(fund, received_on=DAY, amount="10", **keys)
    earlier = do_record_donation(
        fund, received_on=DAY - datetime.timedelta(days=40), amount="20", **keys
    )
    html = page(officer_client(world).get(fund_url("finance-show-fund-statement", fund)))
    first = JournalEntry.objects.get(donation=earlier).sequence
    second = JournalEntry.objects.get(donation=later).sequence
    assert html.index(f'id="entry-{first}"') < html.index(f'id="entry-{second}"')
    assert "February 2027" in html


@pytest.mark.parametrize("username", ["caseworker", "supervisor", "admin", "partner_a"])
def test_it_is_for_finance_only(world, staff_client, username):
    fund = make_fund(world, "USD", name="General")
    response = staff_client(username).get(fund_url("finance-show-fund-statement", fund))
    assert response.status_code == 403
    assert not events(EventType.FUND_STATEMENT_VIEWED)


def test_it_hides_another_organisations_statement(world):
    foreign = other_fund()
    client = officer_client(world)
    assert client.get(fund_url("finance-show-fund-statement", foreign)).status_code == 404
    assert not events(EventType.FUND_STATEMENT_VIEWED)
