"""Grants: asking, the two-person rule above the threshold, refusals, restrictions, the fund
that must not go below zero, cancellation, and the audit of each."""

from __future__ import annotations

from decimal import Decimal

import pytest

from safehaven.cases.choices import CaseState
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.finance.choices import GrantCategory, GrantState
from safehaven.finance.funds.actions import do_set_grant_threshold
from safehaven.finance.grants.actions import (
    do_approve_grant,
    do_cancel_grant,
    do_refuse_grant,
    do_request_grant,
)
from safehaven.finance.ledger.balances import fund_balance, grant_position
from safehaven.finance.models import Grant
from safehaven.finance.tests.helpers import case_of, donate, finance_team, make_fund, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund(world):
    finance_team(world)
    fund = make_fund(world, "USD")
    donate(fund, "1000", keys=officer())
    do_set_grant_threshold(
        world.organisation, currency_code="USD", amount="500", actor=world.users["finance2"]
    )
    return fund


def ask(world, fund, amount, username="finance", **fields):
    fields.setdefault("case", case_of(world))
    return do_request_grant(
        fund,
        category=fields.pop("category", GrantCategory.AIRFARE),
        amount=amount,
        actor=world.users[username],
        **fields,
    )


def test_it_lets_a_caseworker_ask_and_a_finance_officer_approve(world, fund):
    case = case_of(world)
    from safehaven.cases.models import CaseAssignment

    CaseAssignment.objects.create(case=case, user=world.users["caseworker"], role="caseworker")
    grant = ask(world, fund, "300", username="caseworker", case=case)
    assert grant.state == GrantState.REQUESTED
    assert fund_balance(fund).available == Decimal("1000")

    do_approve_grant(grant, **officer("finance"))
    grant.refresh_from_db()
    assert grant.state == GrantState.APPROVED
    assert grant.decided_by == world.users["finance"]
    assert fund_balance(fund).available == Decimal("700")
    assert fund_balance(fund).committed == Decimal("300")
    assert grant_position(grant).remaining == Decimal("300")
    events = list(
        AuditEvent.objects.filter(target_type="grant", target_ref=str(grant.pk)).order_by("pk")
    )
    assert [event.event_type for event in events] == [
        EventType.GRANT_REQUESTED,
        EventType.GRANT_APPROVED,
    ]
    assert all("300" not in event.detail for event in events)  # ids only, never amounts


def test_it_refuses_a_caseworker_a_case_they_do_not_work_on(world, fund):
    with pytest.raises(CaseActionRefused, match="only for cases you work on"):
        ask(world, fund, "100", username="caseworker")


def test_it_refuses_roles_that_may_not_ask(world, fund):
    for username in ("interpreter", "advocacy", "triage", "admin", "partner_a"):
        with pytest.raises(CaseActionRefused):
            ask(world, fund, "100", username=username)
    assert not Grant.objects.exists()


def test_it_lets_the_requester_approve_below_the_threshold(world, fund):
    grant = ask(world, fund, "500")
    do_approve_grant(grant, **officer("finance"))
    assert Grant.objects.get().state == GrantState.APPROVED


def test_it_needs_a_second_officer_above_the_threshold(world, fund):
    grant = ask(world, fund, "500.01")
    for decide in (do_approve_grant, do_refuse_grant):
        with pytest.raises(CaseActionRefused, match="A second finance officer must decide"):
            decide(grant, **officer("finance"))
    assert Grant.objects.get().state == GrantState.REQUESTED
    assert fund_balance(fund).available == Decimal("1000")

    do_approve_grant(grant, **officer("finance2"))
    grant.refresh_from_db()
    assert (grant.state, grant.decided_by) == (GrantState.APPROVED, world.users["finance2"])


def test_it_needs_a_second_officer_in_a_currency_without_threshold(world, fund):
    euros = make_fund(world, "EUR")
    donate(euros, "1000", keys=officer())
    grant = ask(world, euros, "1")
    with pytest.raises(CaseActionRefused, match="A second finance officer"):
        do_approve_grant(grant, **officer("finance"))


def test_it_refuses_a_decision_by_someone_not_in_finance(world, fund):
    grant = ask(world, fund, "100", username="supervisor")
    for username in ("supervisor", "caseworker", "admin"):
        with pytest.raises(CaseActionRefused, match="Only a finance officer"):
            do_approve_grant(grant, **officer(username))


def test_it_refuses_a_requester_a_database_writer_swapped(world, fund):
    grant = ask(world, fund, "800")
    # Someone with the database makes the grant look asked for by another officer.
    Grant.objects.filter(pk=grant.pk).update(requested_by=world.users["finance2"])
    with pytest.raises(CaseActionRefused, match="does not match its check"):
        do_approve_grant(grant, **officer("finance"))
    assert Grant.objects.get().state == GrantState.REQUESTED


def test_it_refuses_to_decide_twice(world, fund):
    grant = ask(world, fund, "100")
    do_refuse_grant(grant, **officer("finance2"))
    with pytest.raises(CaseActionRefused, match="already been decided"):
        do_approve_grant(grant, **officer("finance2"))
    assert fund_balance(fund).granted == 0


def test_it_refuses_a_grant_that_would_take_the_fund_below_zero(world, fund):
    grant = ask(world, fund, "1000.01")
    with pytest.raises(CaseActionRefused, match=r"does not have enough: 0\.01 USD short"):
        do_approve_grant(grant, **officer("finance2"))


def test_it_lets_a_fund_with_an_overdraft_go_below_zero(world, fund):
    overdrawn = make_fund(world, "USD", allows_overdraft=True)
    grant = ask(world, overdrawn, "250")
    do_approve_grant(grant, **officer("finance"))
    assert fund_balance(overdrawn).available == Decimal("-250")


def test_it_keeps_grants_within_the_fund_restriction(world, fund):
    from safehaven.countries.models import Crisis

    crisis = Crisis.objects.create(
        name="Purge", starts_on=fund.starts_on, created_by=world.users["admin"]
    )
    restricted = make_fund(
        world,
        "USD",
        crisis=crisis,
        allowed_categories=[GrantCategory.AIRFARE, GrantCategory.SHELTER],
        allows_partner_grants=False,
    )
    with pytest.raises(CaseActionRefused, match="does not pay for Legal aid"):
        ask(world, restricted, "1", case=case_of(world, crisis=crisis), category="legal_aid")
    with pytest.raises(CaseActionRefused, match="restricted to a crisis"):
        ask(world, restricted, "1")
    with pytest.raises(CaseActionRefused, match="does not fund partner organisations"):
        ask(world, restricted, "1", case=None, partner=world.partner_a, category="shelter")
    with pytest.raises(CaseActionRefused, match="either to a case or to a partner"):
        ask(world, fund, "1", partner=world.partner_a)
    with pytest.raises(CaseActionRefused, match="Only a partner organisation"):
        ask(world, fund, "1", case=None, partner=world.organisation)
    ask(world, restricted, "1", case=case_of(world, crisis=crisis))


def test_it_refuses_a_grant_to_a_closed_case(world, fund):
    with pytest.raises(CaseActionRefused, match="closed"):
        ask(world, fund, "1", case=case_of(world, state=CaseState.CLOSED))


def test_it_refuses_amounts_in_more_decimals_than_the_fund_currency(world, fund):
    with pytest.raises(CaseActionRefused, match="at most 2 decimals"):
        ask(world, fund, "10.005")
    yen = make_fund(world, "JPY")
    with pytest.raises(CaseActionRefused, match="at most 0 decimals"):
        ask(world, yen, "10.5")


def test_it_releases_what_is_unpaid_when_an_approved_grant_is_cancelled(world, fund):
    grant = ask(world, fund, "400")
    do_approve_grant(grant, **officer("finance"))
    with pytest.raises(CaseActionRefused, match="Only a finance officer"):
        do_cancel_grant(grant, actor=world.users["supervisor"])
    do_cancel_grant(grant, **officer("finance2"))
    assert Grant.objects.get().state == GrantState.CANCELLED
    assert fund_balance(fund).available == Decimal("1000")
    assert grant_position(grant).remaining == 0


def test_it_lets_a_requester_cancel_their_own_request(world, fund):
    grant = ask(world, fund, "40", username="supervisor")
    do_cancel_grant(grant, actor=world.users["supervisor"])
    assert Grant.objects.get().state == GrantState.CANCELLED
    with pytest.raises(CaseActionRefused, match="Only a requested or approved grant"):
        do_cancel_grant(grant, **officer("finance"))
