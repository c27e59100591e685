"""Corrections: an entry is reversed by an entry of its own, never edited, with what each kind
of reversal allows and changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.finance.choices import EntryKind, GrantState
from safehaven.finance.corrections.actions import do_reverse_entry
from safehaven.finance.disbursements.actions import do_confirm_disbursement
from safehaven.finance.grants.actions import do_cancel_grant
from safehaven.finance.ledger.balances import fund_balance, grant_position
from safehaven.finance.ledger.verify import verify_ledger
from safehaven.finance.models import Grant, JournalEntry
from safehaven.finance.tests.helpers import (
    approved_grant,
    donate,
    finance_team,
    make_fund,
    officer,
    pay,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(world):
    finance_team(world)
    return officer()


def entry_of(kind, **link):
    return JournalEntry.objects.get(kind=kind, **link)


def test_it_reverses_a_donation_with_an_entry_of_its_own(world, keys):
    fund = make_fund(world, "USD")
    donation = donate(fund, "50", keys=keys)
    original = entry_of(EntryKind.DONATION, donation=donation)
    reversal = do_reverse_entry(original, **officer("finance"))
    assert (reversal.kind, reversal.reverses, reversal.donation) == (
        EntryKind.REVERSAL,
        original,
        donation,
    )
    assert sorted(line.amount for line in reversal.lines.all()) == [Decimal("-50"), Decimal(50)]
    assert fund_balance(fund).available == 0
    assert JournalEntry.objects.count() == 2  # the original stays
    event = AuditEvent.objects.get(event_type=EventType.ENTRY_REVERSED)
    assert event.detail == f"posted entry {reversal.sequence}, reverses entry {original.sequence}"
    assert verify_ledger() == []
    with pytest.raises(CaseActionRefused, match="already been reversed"):
        do_reverse_entry(original, **officer("finance"))
    with pytest.raises(CaseActionRefused, match="cannot be reversed"):
        do_reverse_entry(reversal, **officer("finance"))


def test_it_refuses_to_reverse_a_donation_already_granted(world, keys):
    fund = make_fund(world, "USD")
    donation = donate(fund, "50", keys=keys)
    approved_grant(world, fund, "30")
    with pytest.raises(CaseActionRefused, match=r"30\.00 USD short"):
        do_reverse_entry(entry_of(EntryKind.DONATION, donation=donation), **officer("finance"))


def test_it_reverses_a_payment_so_it_may_be_paid_again(world, keys):
    fund = make_fund(world, "USD")
    donate(fund, "100", keys=keys)
    grant = approved_grant(world, fund, "100")
    payment = pay(grant, "100", keys=keys)
    do_reverse_entry(entry_of(EntryKind.DISBURSEMENT, disbursement=payment), **officer("finance"))
    assert grant_position(grant).remaining == Decimal("100")
    assert fund_balance(fund).cash == Decimal("100")
    with pytest.raises(CaseActionRefused, match="was reversed"):
        do_confirm_disbursement(payment, **officer("finance"))
    pay(grant, "100", keys=keys)
    assert verify_ledger() == []


def test_it_reverses_an_approval_only_before_any_payment(world, keys):
    fund = make_fund(world, "USD")
    donate(fund, "100", keys=keys)
    grant = approved_grant(world, fund, "60")
    payment = pay(grant, "10", keys=keys)
    approval = entry_of(EntryKind.GRANT_APPROVAL, grant=grant)
    with pytest.raises(CaseActionRefused, match="reverse its payments first"):
        do_reverse_entry(approval, **officer("finance"))
    do_reverse_entry(entry_of(EntryKind.DISBURSEMENT, disbursement=payment), **officer("finance"))
    do_reverse_entry(approval, **officer("finance"))
    assert Grant.objects.get().state == GrantState.CANCELLED
    assert fund_balance(fund).available == Decimal("100")
    assert verify_ledger() == []


def test_it_never_reverses_a_release(world, keys):
    fund = make_fund(world, "USD")
    donate(fund, "100", keys=keys)
    grant = approved_grant(world, fund, "60")
    do_cancel_grant(grant, **officer("finance"))
    with pytest.raises(CaseActionRefused, match="cannot be reversed"):
        do_reverse_entry(entry_of(EntryKind.GRANT_RELEASE, grant=grant), **officer("finance"))
    with pytest.raises(CaseActionRefused, match="no longer approved"):
        do_reverse_entry(entry_of(EntryKind.GRANT_APPROVAL, grant=grant), **officer("finance"))


def test_it_refuses_anyone_but_a_finance_officer(world, keys):
    fund = make_fund(world, "USD")
    donation = donate(fund, "50", keys=keys)
    with pytest.raises(CaseActionRefused, match="Only a finance officer"):
        do_reverse_entry(
            entry_of(EntryKind.DONATION, donation=donation),
            actor=world.users["supervisor"],
            private_key=None,
        )
