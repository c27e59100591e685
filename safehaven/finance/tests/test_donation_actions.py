"""Donations: in the fund's currency or converted at the rate entered, the donor's name
optional and sealed for finance only, and a journal entry under each."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.finance.choices import Account, EntryKind
from safehaven.finance.donations.actions import Conversion, do_record_donation
from safehaven.finance.donations.donor_names import DonorName
from safehaven.finance.ledger.balances import fund_balance
from safehaven.finance.models import Donation, FinanceRecords, JournalEntry
from safehaven.finance.records import open_finance_records
from safehaven.finance.tests.helpers import DAY, donate, finance_team, key_of, make_fund, officer
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.fields import MissingSeal
from safehaven.keys.records import open_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(world):
    finance_team(world)
    return officer()


def test_it_records_a_donation_and_its_entry(world, keys):
    fund = make_fund(world, "KWD")
    donation = donate(fund, "12.345", donor="Maria", keys=keys)
    entry = JournalEntry.objects.get()
    assert (entry.kind, entry.donation, entry.sequence) == (EntryKind.DONATION, donation, 1)
    lines = {line.account: line.amount for line in entry.lines.all()}
    assert lines == {Account.FUND_CASH: Decimal("12.345"), Account.DONATIONS: Decimal("-12.345")}
    assert fund_balance(fund).available == Decimal("12.345")
    event = AuditEvent.objects.get(event_type=EventType.DONATION_RECORDED)
    assert event.target_ref == str(donation.pk)
    assert "Maria" not in event.detail


def test_it_converts_a_gift_in_another_currency_at_the_rate_entered(world, keys):
    fund = make_fund(world, "CAD")
    rate_on = datetime.date(2027, 3, 14)
    donation = do_record_donation(
        fund,
        received_on=DAY,
        conversion=Conversion("10000", "JPY", "0.0091", rate_on),
        **keys,
    )
    donation.refresh_from_db()
    assert (donation.amount, donation.original_amount, donation.original_currency) == (
        Decimal("91.00"),
        Decimal("10000"),
        "JPY",
    )
    assert (donation.rate, donation.rate_on) == (Decimal("0.0091"), rate_on)
    with pytest.raises(CaseActionRefused, match=r"At the rate entered the gift is 91\.00 CAD"):
        do_record_donation(
            fund,
            received_on=DAY,
            amount="92",
            conversion=Conversion("10000", "JPY", "0.0091", rate_on),
            **keys,
        )


def test_it_refuses_a_gift_in_the_fund_currency_with_a_rate(world, keys):
    fund = make_fund(world, "USD")
    with pytest.raises(CaseActionRefused, match="fund's own currency"):
        do_record_donation(
            fund, received_on=DAY, conversion=Conversion("5", "USD", "1", DAY), **keys
        )


def test_it_refuses_amounts_the_currency_cannot_hold(world, keys):
    fund = make_fund(world, "JPY")
    with pytest.raises(CaseActionRefused, match="JPY amounts have at most 0 decimals"):
        donate(fund, "100.5", keys=keys)
    assert not Donation.objects.exists()
    assert not JournalEntry.objects.exists()


def test_it_seals_the_donor_for_finance_only(world, keys):
    fund = make_fund(world, "USD")
    named = donate(fund, "5", donor="Maria Example", keys=keys)
    anonymous = donate(fund, "6", keys=keys)
    records = FinanceRecords.objects.get(organisation=world.organisation)
    assert named.record_id == anonymous.record_id == records.record_id
    opened = open_finance_records(
        world.organisation, actor=world.users["finance2"], private_key=key_of("finance2")
    )
    assert opened is not None
    assert Donation.objects.get(pk=named.pk).open_with(opened).sealed("donor_name") == (
        "Maria Example"
    )
    assert Donation.objects.get(pk=anonymous.pk).open_with(opened).sealed("donor_name") == ""
    for username in ("caseworker", "supervisor", "triage", "admin", "advocacy"):
        with pytest.raises(RecordUnavailable):
            open_record(records.record_id, user=world.users[username], private_key=key_of(username))


def test_it_reads_a_donation_without_its_seal_as_forged(world, keys):
    fund = make_fund(world, "USD")
    donation = donate(fund, "5", donor="Maria", keys=keys)
    Donation.objects.filter(pk=donation.pk).update(donor_name=None)
    opened = open_finance_records(world.organisation, **keys)
    assert opened is not None
    with pytest.raises(MissingSeal):
        Donation.objects.get(pk=donation.pk).open_with(opened).sealed("donor_name")


def test_it_refuses_without_a_finance_team(world):
    fund = make_fund(world, "USD")
    with pytest.raises(CaseActionRefused, match="no finance team"):
        donate(fund, "5", keys=officer())
    assert not FinanceRecords.objects.exists()


def test_it_refuses_anyone_but_a_finance_officer(world, keys):
    fund = make_fund(world, "USD")
    with pytest.raises(CaseActionRefused, match="Only a finance officer"):
        donate(fund, "5", keys={"actor": world.users["admin"], "private_key": key_of("admin")})


def test_it_never_shows_a_donors_name_in_a_repr():
    # A repr reaches tracebacks and debug logs (the template engine logs a page's context).
    named = DonorName("Maria Example")
    assert "Maria" not in repr(named)
    assert repr(named) == "DonorName(anonymous=False, forged=False)"
    assert repr(DonorName("")) == "DonorName(anonymous=True, forged=False)"
