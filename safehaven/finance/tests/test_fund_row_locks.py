"""Every action that can lower what a fund has available locks the fund's row before it reads
the balance (``select_for_update``: on PostgreSQL, two approvals of one fund then run one after
the other, each on the balance the other left). SQLite runs writers one at a time and prints
no ``FOR UPDATE``, so the test records which rows the action asks to lock."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import QuerySet

from safehaven.finance.choices import EntryKind, GrantCategory
from safehaven.finance.corrections.actions import do_reverse_entry
from safehaven.finance.grants.actions import do_approve_grant, do_request_grant
from safehaven.finance.models import Fund, JournalEntry
from safehaven.finance.tests.helpers import case_of, donate, finance_team, make_fund, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked(monkeypatch) -> list[type]:
    """The models whose rows are asked to be locked, in order."""
    models: list[type] = []
    original = QuerySet.select_for_update

    def recording(self: QuerySet, *args: Any, **kwargs: Any) -> QuerySet:
        models.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", recording)
    return models


def test_it_locks_the_fund_before_approving_a_grant(world, locked):
    finance_team(world)
    fund = make_fund(world, "USD")
    donate(fund, "100", keys=officer())
    grant = do_request_grant(
        fund,
        category=GrantCategory.AIRFARE,
        amount="60",
        case=case_of(world),
        actor=world.users["supervisor"],
    )
    locked.clear()
    do_approve_grant(grant, **officer())
    assert Fund in locked


def test_it_locks_the_fund_before_reversing_a_donation(world, locked):
    finance_team(world)
    fund = make_fund(world, "USD")
    donation = donate(fund, "100", keys=officer())
    locked.clear()
    do_reverse_entry(
        JournalEntry.objects.get(kind=EntryKind.DONATION, donation=donation), **officer()
    )
    assert Fund in locked
