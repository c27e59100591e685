"""The two-person rule cannot be switched off by one officer: whether a grant needs a second
officer is decided when it is asked for (with the same case's or partner's recent grants) and
kept under the grant's tag, and an officer who changed the grant's fund or a threshold after it
was asked for does not approve it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.finance.choices import GrantCategory, GrantState
from safehaven.finance.funds.actions import do_set_grant_threshold
from safehaven.finance.funds.fund_changes import do_change_fund
from safehaven.finance.grants.actions import do_approve_grant, do_refuse_grant, do_request_grant
from safehaven.finance.models import Grant
from safehaven.finance.tests.helpers import DAY, case_of, donate, finance_team, make_fund, officer

pytestmark = pytest.mark.django_db

TOO_MUCH_ALONE = "A second finance officer must decide"


@pytest.fixture
def fund(world):
    finance_team(world)
    fund = make_fund(world, "USD", name="General")
    donate(fund, "100000", keys=officer())
    threshold(world, "500", by="finance2")
    return fund


def threshold(world, amount: str, *, by: str, code: str = "USD") -> None:
    do_set_grant_threshold(
        world.organisation, currency_code=code, amount=amount, actor=world.users[by]
    )


def ask(world, fund, amount: str, *, by: str = "finance", **to) -> Grant:
    to = to or {"case": case_of(world)}
    return do_request_grant(
        fund, category=GrantCategory.AIRFARE, amount=amount, actor=world.users[by], **to
    )


def test_it_keeps_a_pending_grant_for_a_second_officer_when_the_threshold_is_raised(world, fund):
    grant = ask(world, fund, "50000")
    assert grant.needs_second_officer
    threshold(world, "999999", by="finance")

    with pytest.raises(CaseActionRefused, match=TOO_MUCH_ALONE):
        do_approve_grant(grant, **officer("finance"))
    threshold(world, "500", by="finance")
    assert Grant.objects.get().state == GrantState.REQUESTED


def test_it_refuses_the_approval_of_an_officer_who_raised_a_threshold_since(world, fund):
    grant = ask(world, fund, "300", by="supervisor")
    threshold(world, "800", by="finance", code="EUR")  # any of the organisation's thresholds

    with pytest.raises(CaseActionRefused, match="You changed this grant's fund or"):
        do_approve_grant(grant, **officer("finance"))
    do_approve_grant(grant, **officer("finance2"))
    assert Grant.objects.get().state == GrantState.APPROVED


def test_it_refuses_the_approval_of_an_officer_who_loosened_the_fund_since(world, fund):
    grant = ask(world, fund, "300", by="supervisor", case=case_of(world))
    do_change_fund(
        fund, name="General", starts_on=DAY, allows_overdraft=True, actor=world.users["finance"]
    )

    with pytest.raises(CaseActionRefused, match="You changed this grant's fund or"):
        do_approve_grant(grant, **officer("finance"))
    # A refusal is not held back: it pays nothing.
    do_refuse_grant(grant, **officer("finance"))


def test_it_lets_the_officer_approve_grants_asked_for_after_their_change(world, fund):
    threshold(world, "400", by="finance")
    grant = ask(world, fund, "300", by="supervisor")
    do_approve_grant(grant, **officer("finance"))
    assert Grant.objects.get().state == GrantState.APPROVED


def test_it_needs_a_second_officer_under_a_threshold_the_requester_just_set(world, fund):
    threshold(world, "999999", by="finance")
    grant = ask(world, fund, "50000")
    assert grant.needs_second_officer
    with pytest.raises(CaseActionRefused, match=TOO_MUCH_ALONE):
        do_approve_grant(grant, **officer("finance"))
    # Someone else's request under the same threshold is within it.
    assert not ask(world, fund, "50000", by="supervisor").needs_second_officer


def test_it_adds_the_same_cases_recent_grants_to_the_amount(world, fund):
    case = case_of(world)
    first = ask(world, fund, "300", case=case)
    assert not first.needs_second_officer
    second = ask(world, fund, "300", case=case)  # 600 together: above 500
    assert second.needs_second_officer
    with pytest.raises(CaseActionRefused, match=TOO_MUCH_ALONE):
        do_approve_grant(second, **officer("finance"))
    assert not ask(world, fund, "300").needs_second_officer  # another case


def test_it_adds_the_same_partners_recent_grants_and_forgets_old_or_refused_ones(world, fund):
    partner = {"partner": world.partner_a}
    first = ask(world, fund, "400", **partner)
    do_approve_grant(first, **officer("finance"))
    assert ask(world, fund, "200", **partner).needs_second_officer

    Grant.objects.filter(pk=first.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=31)
    )
    refused = ask(world, fund, "450", by="finance2", **partner)
    do_refuse_grant(refused, **officer("finance"))
    # The approved one is older than 30 days, the refused one does not count, and the 200
    # still requested makes 450: within the threshold.
    assert not ask(world, fund, "250", **partner).needs_second_officer


def test_it_binds_the_decision_into_the_grants_tag(world, fund):
    grant = ask(world, fund, "50000")
    Grant.objects.filter(pk=grant.pk).update(needs_second_officer=False)  # a database writer
    with pytest.raises(CaseActionRefused, match="does not match its check"):
        do_approve_grant(grant, **officer("finance"))
    assert Grant.objects.get().state == GrantState.REQUESTED
    assert Decimal(Grant.objects.get().amount) == Decimal("50000")
