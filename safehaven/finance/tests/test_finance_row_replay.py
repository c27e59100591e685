"""A database writer cannot make a tag, but could restore an earlier row with its earlier,
valid tag (from a backup). Each fund, threshold and grant tag binds the audit event of the
change that set the row, so a restored row names an event that is no longer the latest for it:
the actions refuse it and ``verify_ledger`` names it."""

from __future__ import annotations

import pytest

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.finance.choices import GrantCategory, GrantState
from safehaven.finance.funds.actions import do_set_grant_threshold
from safehaven.finance.funds.fund_changes import do_change_fund
from safehaven.finance.grants.actions import do_approve_grant, do_refuse_grant, do_request_grant
from safehaven.finance.grants.pages import grant_page
from safehaven.finance.ledger.verify import verify_ledger
from safehaven.finance.models import Fund, Grant, GrantThreshold
from safehaven.finance.tests.helpers import DAY, case_of, donate, finance_team, make_fund, officer

pytestmark = pytest.mark.django_db

RESTORED = "is not as its latest audited change left it"


@pytest.fixture
def fund(world):
    finance_team(world)
    fund = make_fund(world, "USD", name="General")
    donate(fund, "100000", keys=officer())
    return fund


def saved(row, *fields: str) -> dict[str, object]:
    row.refresh_from_db()
    return {field: getattr(row, field) for field in (*fields, "event_sequence", "tag")}


def problems() -> str:
    return " ".join(str(problem) for problem in verify_ledger())


def ask(world, fund, amount: str, by: str = "finance") -> Grant:
    return do_request_grant(
        fund,
        category=GrantCategory.AIRFARE,
        amount=amount,
        case=case_of(world),
        actor=world.users[by],
    )


def test_it_refuses_a_threshold_restored_from_a_backup(world, fund):
    do_set_grant_threshold(
        world.organisation, currency_code="USD", amount="99999", actor=world.users["finance2"]
    )
    threshold = GrantThreshold.objects.get()
    backup = saved(threshold, "second_approval_above")
    do_set_grant_threshold(
        world.organisation, currency_code="USD", amount="500", actor=world.users["finance2"]
    )
    GrantThreshold.objects.filter(pk=threshold.pk).update(**backup)

    assert f"threshold #{threshold.pk}: {RESTORED}" in problems()
    # A threshold that does not hold is no threshold: the grant needs a second officer.
    grant = ask(world, fund, "50000")
    assert grant.needs_second_officer
    with pytest.raises(CaseActionRefused, match="A second finance officer must decide"):
        do_approve_grant(grant, **officer("finance"))


def test_it_refuses_a_fund_restored_from_a_backup(world, fund):
    do_change_fund(
        fund, name="General", starts_on=DAY, allows_overdraft=True, actor=world.users["finance"]
    )
    backup = saved(fund, "allows_overdraft")
    do_change_fund(fund, name="General", starts_on=DAY, actor=world.users["finance"])
    fund.refresh_from_db()
    grant = ask(world, fund, "200000", by="supervisor")
    Fund.objects.filter(pk=fund.pk).update(**backup)  # the overdraft back on

    assert f"fund #{fund.pk}: {RESTORED}" in problems()
    with pytest.raises(CaseActionRefused, match="does not match its check"):
        do_approve_grant(grant, **officer("finance2"))


def test_it_refuses_a_grant_restored_from_a_backup(world, fund):
    grant = ask(world, fund, "300", by="supervisor")
    backup = saved(grant, "state", "decided_by", "decided_at")
    do_refuse_grant(grant, **officer("finance"))
    Grant.objects.filter(pk=grant.pk).update(**backup)  # requested again, with its old tag

    assert f"grant #{grant.pk}: {RESTORED}" in problems()
    with pytest.raises(CaseActionRefused, match="does not match its check"):
        do_approve_grant(grant, **officer("finance2"))
    assert Grant.objects.get().state == GrantState.REQUESTED
    shown = grant_page(Grant.objects.get(), world.users["finance2"])
    assert not shown.intact  # the page warns, and offers no decision
    assert not shown.may_decide
