"""What the funds pages show, read only: each fund with its balances from the journal (or a
warning when its entries fail their checks), the organisation's thresholds, and the cost per
person relocated. Amounts are written in the page's language with the currency's own minor
units."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import get_language

from safehaven.accounts.models import Organisation
from safehaven.finance.exceptions import LedgerTampered
from safehaven.finance.ledger.balances import FundBalance, fund_balance
from safehaven.finance.ledger.costs import CostPerPerson, cost_per_person_relocated
from safehaven.finance.models import Fund, GrantThreshold
from safehaven.finance.money import Money, MoneyError, currency, format_money
from safehaven.finance.rules import fund_holds, threshold_holds


def shown_money(amount: Decimal, code: str) -> str:
    """``amount`` of ``code`` as the page's language writes money."""
    return format_money(amount, code, get_language() or "en")


def shown_monies(amounts: Iterable[Money]) -> list[str]:
    return [shown_money(money.amount, money.currency) for money in amounts]


@dataclass(frozen=True)
class BalanceView:
    donations: str
    granted: str
    disbursed: str
    cash: str
    committed: str
    available: str
    below_zero: bool


def balance_view(balance: FundBalance) -> BalanceView:
    code = balance.currency
    return BalanceView(
        donations=shown_money(balance.donations, code),
        granted=shown_money(balance.granted, code),
        disbursed=shown_money(balance.disbursed, code),
        cash=shown_money(balance.cash, code),
        committed=shown_money(balance.committed, code),
        available=shown_money(balance.available, code),
        below_zero=balance.available < 0,
    )


@dataclass(frozen=True)
class FundRow:
    fund: Fund
    target: str
    balance: BalanceView | None  # None: its row or its entries fail their checks
    intact: bool


def fund_row(fund: Fund) -> FundRow:
    target = "" if fund.target is None else shown_money(fund.target, fund.currency)
    if not fund_holds(fund):
        return FundRow(fund, target, None, intact=False)
    try:
        balance = balance_view(fund_balance(fund))
    except LedgerTampered:
        return FundRow(fund, target, None, intact=False)
    return FundRow(fund, target, balance, intact=True)


@dataclass(frozen=True)
class ThresholdRow:
    currency: str
    amount: str
    intact: bool


def threshold_rows(organisation: Organisation) -> list[ThresholdRow]:
    rows = GrantThreshold.objects.filter(organisation=organisation).order_by("currency")
    return [
        ThresholdRow(row.currency, shown_money(row.second_approval_above, row.currency), intact)
        for row in rows
        for intact in [threshold_holds(row)]
    ]


@dataclass(frozen=True)
class CostView:
    currency: str
    total: str
    cases: int
    people: int
    per_person: str
    unconverted: list[str]


def reporting_currency(organisation: Organisation, asked: str) -> str:
    """The currency asked for if it is one, else that of the organisation's first fund, else
    USD."""
    try:
        return currency(asked).code
    except MoneyError:
        first = Fund.objects.filter(organisation=organisation).order_by("pk").first()
        return first.currency if first is not None else "USD"


def cost_view(organisation: Organisation, code: str) -> CostView:
    cost: CostPerPerson = cost_per_person_relocated(organisation, code)
    return CostView(
        currency=code,
        total=shown_money(cost.total.amount, code),
        cases=cost.cases,
        people=cost.people,
        per_person=""
        if cost.per_person is None
        else shown_money(cost.per_person.amount, cost.per_person.currency),
        unconverted=shown_monies(cost.unconverted),
    )


@dataclass(frozen=True)
class OrganisationFunds:
    organisation: Organisation
    funds: list[FundRow]
    thresholds: list[ThresholdRow]
    cost: CostView


def overview(
    organisations: QuerySet[Organisation], funds: QuerySet[Fund], asked: str
) -> list[OrganisationFunds]:
    """Per organisation the officer keeps: its funds with balances, thresholds, and the cost
    per person relocated in ``asked`` (or a currency of its own)."""
    sections = []
    for organisation in organisations.order_by("name"):
        rows = [fund_row(fund) for fund in funds.filter(organisation=organisation)]
        sections.append(
            OrganisationFunds(
                organisation,
                rows,
                threshold_rows(organisation),
                cost_view(organisation, reporting_currency(organisation, asked)),
            )
        )
    return sections
