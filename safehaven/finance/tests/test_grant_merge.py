"""Grants follow a case merge (``finance/grants/merging.py``): each requested or approved grant
of the absorbed case becomes a request on the kept case (an approval is reversed, never posted
again by the merge), which waits for a finance officer under the two-person rule; the ledger
still verifies, and a grant that cannot move refuses the whole merge."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.merging.actions import do_merge_cases
from safehaven.cases.models import Case
from safehaven.cases.tests.merge_helpers import keys_of, two_cases
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.finance.choices import EntryKind, GrantCategory, GrantState
from safehaven.finance.grants.actions import do_approve_grant, do_request_grant
from safehaven.finance.ledger.balances import fund_balance, grant_position
from safehaven.finance.ledger.postings import post_grant_approval
from safehaven.finance.ledger.verify import verify_ledger
from safehaven.finance.models import Disbursement, Grant, JournalEntry
from safehaven.finance.tests.helpers import (
    DAY,
    approved_grant,
    donate,
    finance_team,
    make_fund,
    officer,
    pay,
)
from safehaven.finance.trail import POSTING_EVENTS, newest_posted_entry

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


def test_it_moves_an_approved_grant_as_a_request_and_posts_no_approval(world, money):
    pair, fund, approved, _asked = money
    before = fund_balance(fund)
    approvals = JournalEntry.objects.filter(kind=EntryKind.GRANT_APPROVAL).count()

    do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))

    moved = Grant.objects.get(case=pair.kept, amount=Decimal("300"))
    assert moved.state == GrantState.REQUESTED
    assert (moved.fund_id, moved.category, moved.amount, moved.currency) == (
        fund.pk,
        approved.category,
        Decimal("300"),
        "USD",
    )
    assert moved.requested_by_id == approved.requested_by_id
    assert moved.requested_at == approved.requested_at
    assert (moved.decided_by_id, moved.decided_at) == (None, None)
    assert moved.needs_second_officer == approved.needs_second_officer
    approved.refresh_from_db()
    assert approved.state == GrantState.CANCELLED
    assert approved.case_id == pair.absorbed.pk  # never edited to point elsewhere
    assert grant_position(approved).approved == 0
    assert grant_position(moved).approved == 0
    # The approval was undone, not re-done: its money is available in the fund again.
    assert JournalEntry.objects.filter(kind=EntryKind.GRANT_APPROVAL).count() == approvals
    assert not JournalEntry.objects.filter(grant=moved).exists()
    assert fund_balance(fund).available == before.available + Decimal("300")
    reversal = JournalEntry.objects.get(kind=EntryKind.REVERSAL)
    assert reversal.reverses is not None
    assert reversal.reverses.grant_id == approved.pk
    _ledger_verifies()


def test_the_moved_approved_grant_waits_for_a_finance_officer_before_it_is_paid(world, money):
    pair, _fund, _approved, _asked = money
    do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))
    moved = Grant.objects.get(case=pair.kept, amount=Decimal("300"))

    with pytest.raises(CaseActionRefused, match="Only an approved grant can be paid"):
        pay(moved, "120", keys=officer())
    # Neither the merger nor the case's supervisor (not finance officers) can approve it.
    for name in ("triage", "supervisor"):
        with pytest.raises(CaseActionRefused):
            do_approve_grant(Grant.objects.get(pk=moved.pk), **keys_of(name, world))
    assert Grant.objects.get(pk=moved.pk).state == GrantState.REQUESTED
    assert not Disbursement.objects.exists()
    _ledger_verifies()

    do_approve_grant(Grant.objects.get(pk=moved.pk), **officer())
    pay(Grant.objects.get(pk=moved.pk), "120", keys=officer())

    moved.refresh_from_db()
    assert moved.state == GrantState.APPROVED
    assert moved.decided_by_id == world.users["finance"].pk
    assert grant_position(moved).paid == Decimal("120")
    _ledger_verifies()


def test_the_two_person_rule_holds_for_the_moved_grant(world, money):
    pair, fund, _approved, _asked = money
    # Asked for by a finance officer, with no threshold set: a second officer must decide.
    own = do_request_grant(
        fund,
        category=GrantCategory.SHELTER,
        amount="40",
        case=pair.absorbed,
        actor=world.users["finance2"],
    )
    do_approve_grant(own, **officer())
    do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))
    moved = Grant.objects.get(case=pair.kept, amount=Decimal("40"))
    assert moved.state == GrantState.REQUESTED
    assert moved.needs_second_officer
    assert moved.requested_by_id == world.users["finance2"].pk

    with pytest.raises(CaseActionRefused, match="second finance officer"):
        do_approve_grant(moved, **officer("finance2"))
    do_approve_grant(Grant.objects.get(pk=moved.pk), **officer())
    _ledger_verifies()


def test_it_moves_a_requested_grant_still_to_be_decided(world, money):
    pair, _fund, _approved, asked = money

    do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))

    moved = Grant.objects.get(case=pair.kept, amount=Decimal("50"))
    assert moved.state == GrantState.REQUESTED
    assert moved.requested_by_id == asked.requested_by_id
    asked.refresh_from_db()
    assert asked.state == GrantState.CANCELLED
    # The moved request is decided as any other, and its money paid.
    do_approve_grant(moved, **officer())
    pay(Grant.objects.get(pk=moved.pk), "20", keys=officer())
    _ledger_verifies()


def test_it_records_one_event_for_each_grant_row_it_changes(world, money):
    pair, _fund, approved, asked = money
    approved_events = AuditEvent.objects.filter(event_type=EventType.GRANT_APPROVED).count()

    do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))

    new_for = {
        old.pk: Grant.objects.get(case=pair.kept, amount=old.amount).pk for old in (approved, asked)
    }
    moved = AuditEvent.objects.filter(event_type=EventType.GRANT_MOVED).order_by("sequence")
    assert [(e.target_ref, e.detail) for e in moved] == [
        (
            str(new_for[old.pk]),
            f"from grant #{old.pk}, case #{pair.absorbed.pk} into case #{pair.kept.pk}",
        )
        for old in (approved, asked)
    ]
    # The approved grant's ending: the reversal, under the one event the ledger's proof
    # holds it to; the request's ending: its cancellation, which posts nothing.
    reversed_ = AuditEvent.objects.get(event_type=EventType.ENTRY_REVERSED)
    assert reversed_.detail.startswith("posted entry ")
    assert reversed_.detail.endswith(f"moved to grant #{new_for[approved.pk]} by a merge")
    cancelled = AuditEvent.objects.filter(
        event_type=EventType.GRANT_CANCELLED, target_ref=str(asked.pk)
    ).get()
    assert cancelled.detail == f"moved to grant #{new_for[asked.pk]} by a merge"
    assert AuditEvent.objects.filter(event_type=EventType.GRANT_APPROVED).count() == (
        approved_events
    )
    assert AuditEvent.objects.filter(event_type=EventType.CASES_MERGED).count() == 1
    # Each row is stamped by its own event (a database writer restoring either is found).
    assert Grant.objects.get(pk=new_for[approved.pk]).event_sequence == moved[0].sequence
    assert Grant.objects.get(pk=approved.pk).event_sequence == reversed_.sequence


def test_a_moved_grant_is_not_a_posting_event_for_the_ledger_proof(world, money):
    """GRANT_MOVED posts nothing, so an approval entry a database writer slips onto the moved
    request (no finance officer's GRANT_APPROVED names it) is found."""
    pair, _fund, _approved, _asked = money
    do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))
    moved_event = AuditEvent.objects.filter(event_type=EventType.GRANT_MOVED).first()
    assert moved_event is not None
    assert not moved_event.detail.startswith("posted")
    assert EventType.GRANT_MOVED not in POSTING_EVENTS
    before = newest_posted_entry()

    moved = Grant.objects.get(case=pair.kept, amount=Decimal("300"))
    with transaction.atomic():
        post_grant_approval(moved, actor=world.users["triage"], posted_on=DAY)

    assert newest_posted_entry() == before
    assert any("named by no audit event" in str(p) for p in verify_ledger())


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
