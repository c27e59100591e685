"""What the budget page shows for a year: each budget line against what was paid out in its
category and period (``ledger.balances.budget_against_spent``), and everything paid out by
category and month, per currency. Payments are counted on the day paid, net of reversals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.dates import MONTHS

from safehaven.accounts.models import Organisation
from safehaven.finance.choices import GrantCategory
from safehaven.finance.funds.pages import shown_money
from safehaven.finance.ledger.balances import budget_against_spent, spent_by_category_and_month

MONTH_NUMBERS = tuple(range(1, 13))


@dataclass(frozen=True)
class BudgetRowView:
    category: str
    period: str
    budget: str
    spent: str
    left: str
    over: bool


@dataclass(frozen=True)
class SpentRow:
    category: str
    months: list[str]  # twelve cells, "" for nothing spent
    total: str


@dataclass(frozen=True)
class SpentTable:
    currency: str
    rows: list[SpentRow]
    month_totals: list[str]
    total: str


@dataclass(frozen=True)
class BudgetSection:
    organisation: Organisation
    lines: list[BudgetRowView]
    spent: list[SpentTable]


def _label(category: str) -> str:
    return str(GrantCategory(category).label)


def _lines(organisation: Organisation, year: int) -> list[BudgetRowView]:
    rows = []
    for row in budget_against_spent(organisation, year):
        code = row.budget.currency
        left = row.left
        rows.append(
            BudgetRowView(
                category=_label(row.category),
                period=str(MONTHS[row.month]) if row.month else str(year),
                budget=shown_money(row.budget.amount, code),
                spent=shown_money(row.spent.amount, code),
                left=shown_money(left.amount, code),
                over=left.amount < 0,
            )
        )
    return rows


def _spent(organisation: Organisation, year: int) -> list[SpentTable]:
    by_currency: dict[str, dict[str, dict[int, Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(Decimal))
    )
    for (category, month, code), amount in spent_by_category_and_month(organisation, year).items():
        by_currency[code][category][month] += amount
    tables = []
    for code in sorted(by_currency):
        categories = by_currency[code]

        def cell(amount: Decimal, code: str = code) -> str:
            return shown_money(amount, code) if amount else ""

        rows = [
            SpentRow(
                _label(category),
                [cell(categories[category][month]) for month in MONTH_NUMBERS],
                shown_money(sum(categories[category].values(), Decimal(0)), code),
            )
            for category in GrantCategory.values
            if category in categories
        ]
        month_totals = [
            sum((months[month] for months in categories.values()), Decimal(0))
            for month in MONTH_NUMBERS
        ]
        tables.append(
            SpentTable(
                code,
                rows,
                [cell(total) for total in month_totals],
                shown_money(sum(month_totals, Decimal(0)), code),
            )
        )
    return tables


def budget_section(organisation: Organisation, year: int) -> BudgetSection:
    return BudgetSection(organisation, _lines(organisation, year), _spent(organisation, year))
