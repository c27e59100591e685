"""Grants follow a case merge (``finance/grants/merging.py``): each requested or approved grant
of the absorbed case moves to the kept case by reversal and re-posting, the ledger still
verifies, and a grant that cannot move refuses the whole merge."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.merging.actions import do_merge_cases
from safehaven.cases.models import Case
from safehaven.cases.tests.merge_helpers import keys_of, two_cases
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.finance.choices import EntryKind, GrantCategory, GrantState
from safehaven.finance.grants.actions import do_request_grant
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
def money(world):
    finance_team(world)
    fund = make_fund(world, "USD")
    donate(fund, "1000", keys=officer())
    pair = two_cases(world, fill=False)
    approved = approved_grant(world, fund, "300", case=pair.absorbed)
    asked = do_request_grant(
        fund,
        category=GrantCategory.SHELTER,
        amount="50",
        case=pair.absorbed,
        actor=world.users["supervisor"],
    )
    return pair, fund, approved, asked


def _ledger_verifies() -> None:
    assert verify_ledger() == []
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    assert out.getvalue().startswith("Ledger verified")


def test_it_moves_an_approved_grant_by_reversal_and_reposting(world, money):
    pair, fund, approved, _asked = money
    before = fund_balance(fund)

    do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))

    moved = Grant.objects.get(case=pair.kept, state=GrantState.APPROVED)
    assert (moved.fund_id, moved.category, moved.amount, moved.currency) == (
        fund.pk,
        approved.category,
        Decimal("300"),
        "USD",
    )
    assert moved.requested_by_id == approved.requested_by_id
    assert moved.decided_by_id == approved.decided_by_id
    approved.refresh_from_db()
    assert approved.state == GrantState.CANCELLED
    assert approved.case_id == pair.absorbed.pk  # never edited to point elsewhere
    assert grant_position(approved).approved == 0
    assert grant_position(moved).remaining == Decimal("300")
    assert fund_balance(fund) == before
    reversal = JournalEntry.objects.get(kind=EntryKind.REVERSAL)
    assert reversal.reverses is not None
    assert reversal.reverses.grant_id == approved.pk
    _ledger_verifies()


def test_it_moves_a_requested_grant_still_to_be_decided(world, money):
    pair, _fund, _approved, asked = money

    do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))

    moved = Grant.objects.get(case=pair.kept, state=GrantState.REQUESTED)
    assert moved.amount == Decimal("50")
    assert moved.requested_by_id == asked.requested_by_id
    asked.refresh_from_db()
    assert asked.state == GrantState.CANCELLED
    # The moved request is decided as any other, and its money paid.
    from safehaven.finance.grants.actions import do_approve_grant

    do_approve_grant(moved, **officer())
    pay(Grant.objects.get(pk=moved.pk), "20", keys=officer())
    _ledger_verifies()


def test_the_moved_grant_is_paid_like_any_other(world, money):
    pair, _fund, _approved, _asked = money
    do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))
    moved = Grant.objects.get(case=pair.kept, state=GrantState.APPROVED)

    pay(moved, "120", keys=officer())

    assert grant_position(moved).paid == Decimal("120")
    _ledger_verifies()


def test_it_records_the_events_the_ledger_proof_needs(world, money):
    pair, _fund, approved, asked = money

    do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))

    moved = AuditEvent.objects.filter(event_type=EventType.GRANT_MOVED).order_by("sequence")
    assert [e.detail.split(", ")[-2] for e in moved] == [
        f"from grant #{approved.pk}",
        f"from grant #{asked.pk}",
    ]
    assert moved[0].detail.startswith("posted entry ")
    assert AuditEvent.objects.filter(event_type=EventType.ENTRY_REVERSED).count() == 1
    assert AuditEvent.objects.filter(event_type=EventType.CASES_MERGED).count() == 1


def test_it_refuses_a_grant_with_payments_and_changes_nothing(world, money):
    pair, _fund, approved, _asked = money
    pay(approved, "10", keys=officer())
    entries = JournalEntry.objects.count()

    with pytest.raises(CaseActionRefused, match=f"Grant #{approved.pk} of case"):
        do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))

    assert JournalEntry.objects.count() == entries
    assert not Grant.objects.filter(case=pair.kept).exists()
    assert Case.objects.get(pk=pair.absorbed.pk).merged_into_id is None
    _ledger_verifies()


def test_it_refuses_a_grant_whose_fund_does_not_fit_the_kept_case(world, money):
    from safehaven.countries.models import Crisis

    pair, fund, _approved, _asked = money
    crisis = Crisis.objects.create(
        name="Purge", starts_on=fund.starts_on, created_by=world.users["admin"]
    )
    restricted = make_fund(world, "USD", crisis=crisis)
    donate(restricted, "100", keys=officer())
    Case.objects.filter(pk=pair.absorbed.pk).update(crisis=crisis)
    pair.absorbed.refresh_from_db()
    approved_grant(world, restricted, "10", case=pair.absorbed)

    with pytest.raises(CaseActionRefused, match="restricted to a crisis"):
        do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))
    _ledger_verifies()


def test_it_refuses_a_grant_row_changed_in_the_database(world, money):
    pair, _fund, approved, _asked = money
    Grant.objects.filter(pk=approved.pk).update(amount="900")

    with pytest.raises(CaseActionRefused):
        do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))

    assert not Grant.objects.filter(case=pair.kept).exists()
