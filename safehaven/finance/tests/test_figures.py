"""Figures read from the ledger: budget against spent by category and month, a case's totals,
the cost per person relocated; and the actions that set budgets and thresholds."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest

from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CasePerson
from safehaven.finance.choices import GrantCategory
from safehaven.finance.corrections.actions import do_reverse_entry
from safehaven.finance.disbursements.actions import do_confirm_disbursement
from safehaven.finance.funds.actions import do_create_fund, do_set_budget_line
from safehaven.finance.grants.actions import do_request_grant
from safehaven.finance.ledger.balances import budget_against_spent, spent_by_category_and_month
from safehaven.finance.ledger.costs import case_costs, cost_per_person_relocated
from safehaven.finance.models import JournalEntry
from safehaven.finance.money import Money
from safehaven.finance.tests.helpers import (
    DAY,
    approved_grant,
    case_of,
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


def test_it_sets_budget_lines_and_sets_them_again(world, keys):
    finance = world.users["finance"]
    for amount in ("1000", "1200"):
        do_set_budget_line(
            world.organisation,
            year=2027,
            month=None,
            category=GrantCategory.AIRFARE,
            currency_code="USD",
            amount=amount,
            actor=finance,
        )
    do_set_budget_line(
        world.organisation,
        year=2027,
        month=3,
        category=GrantCategory.AIRFARE,
        currency_code="USD",
        amount="300",
        actor=finance,
    )
    with pytest.raises(CaseActionRefused, match="1 to 12"):
        do_set_budget_line(
            world.organisation,
            year=2027,
            month=13,
            category="airfare",
            currency_code="USD",
            amount="1",
            actor=finance,
        )
    with pytest.raises(CaseActionRefused, match="Only a finance officer"):
        do_set_budget_line(
            world.organisation,
            year=2027,
            month=None,
            category="airfare",
            currency_code="USD",
            amount="1",
            actor=world.users["supervisor"],
        )
    fund = make_fund(world, "USD")
    donate(fund, "1000", keys=keys)
    grant = approved_grant(world, fund, "500")
    pay(grant, "200", keys=keys)
    pay(grant, "50", keys=keys)
    shelter = approved_grant(world, fund, "100", category=GrantCategory.SHELTER)
    payment = pay(shelter, "100", keys=keys)
    do_reverse_entry(
        JournalEntry.objects.get(disbursement=payment, kind="disbursement"),
        **officer("finance"),
        posted_on=DAY,
    )
    spent = spent_by_category_and_month(world.organisation, 2027)
    assert spent == {("airfare", 3, "USD"): Decimal("250"), ("shelter", 3, "USD"): Decimal(0)}
    rows = budget_against_spent(world.organisation, 2027)
    assert [(row.month, row.budget, row.spent) for row in rows] == [
        (None, Money("USD", Decimal("1200")), Money("USD", Decimal("250"))),
        (3, Money("USD", Decimal("300")), Money("USD", Decimal("250"))),
    ]
    assert rows[1].left == Money("USD", Decimal("50"))


def test_it_gives_a_case_its_totals_only(world, keys):
    fund = make_fund(world, "USD")
    donate(fund, "1000", keys=keys)
    case = case_of(world)
    grant = approved_grant(world, fund, "400", case=case)
    do_request_grant(
        fund, category="legal_aid", amount="70", case=case, actor=world.users["supervisor"]
    )
    first = pay(grant, "100", keys=keys)
    pay(grant, "50", currency_code="EUR", rate="1.1", keys=keys)
    do_confirm_disbursement(first, **officer("finance"))
    costs = case_costs(case)
    assert costs.requested == [Money("USD", Decimal("70"))]
    assert costs.approved == [Money("USD", Decimal("400"))]
    assert costs.paid == [Money("USD", Decimal("155"))]
    assert costs.confirmed == [Money("USD", Decimal("100"))]


def test_it_divides_confirmed_payments_by_the_people_relocated(world, keys):
    dollars = make_fund(world, "USD")
    yen = make_fund(world, "JPY")
    donate(dollars, "5000", keys=keys)
    donate(yen, "500000", keys=keys)
    household, alone, open_case = case_of(world), case_of(world), case_of(world)
    for case in (household, household, household, alone, open_case):
        CasePerson.objects.create(case=case, record_id=uuid.uuid4())
    payments = [
        pay(approved_grant(world, dollars, "900", case=household), "900", keys=keys),
        pay(approved_grant(world, dollars, "100", case=alone), "100", keys=keys),
        pay(approved_grant(world, yen, "15000", case=alone), "15000", keys=keys),
        pay(approved_grant(world, dollars, "700", case=open_case), "700", keys=keys),
    ]
    unconfirmed = pay(approved_grant(world, dollars, "300", case=alone), "300", keys=keys)
    for payment in payments:
        do_confirm_disbursement(payment, **officer("finance"))
    assert unconfirmed.confirmed_at is None
    Case.objects.filter(pk__in=[household.pk, alone.pk]).update(
        state=CaseState.CLOSED, outcome=CaseOutcome.RELOCATED
    )

    figure = cost_per_person_relocated(world.organisation, "USD")
    assert (figure.cases, figure.people) == (2, 4)
    assert figure.total == Money("USD", Decimal("1000.00"))
    assert figure.per_person == Money("USD", Decimal("250.00"))
    assert figure.unconverted == [Money("JPY", Decimal("15000"))]

    at_rate = cost_per_person_relocated(world.organisation, "USD", rates={"JPY": Decimal("0.0067")})
    assert at_rate.total == Money("USD", Decimal("1100.50"))
    assert at_rate.per_person == Money("USD", Decimal("275.12"))  # 275.125, half to even
    assert at_rate.unconverted == []


def test_it_refuses_a_fund_in_a_currency_it_does_not_know(world, keys):
    with pytest.raises(CaseActionRefused, match="not a currency"):
        do_create_fund(
            world.organisation,
            name="X",
            currency_code="XYZ",
            starts_on=datetime.date(2027, 1, 1),
            actor=world.users["finance"],
        )
    with pytest.raises(CaseActionRefused, match="Only a finance officer"):
        do_create_fund(
            world.partner_a,
            name="X",
            currency_code="USD",
            starts_on=datetime.date(2027, 1, 1),
            actor=world.users["finance"],
        )
