"""A fund's statement from its journal: the balances at the start and end of the period (a
year, or since the fund began), every entry in the period in the order of its day with the
running cash and available amount after it, and the period month by month. Read from the
lines only, every entry's tag checked first (``check_entries``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from safehaven.finance.choices import Account
from safehaven.finance.funds.pages import BalanceView, balance_view, shown_money
from safehaven.finance.ledger.balances import FundBalance, check_entries
from safehaven.finance.models import Fund, JournalEntry


@dataclass(frozen=True)
class Movement:
    """What entries changed, in the fund's currency (see ``ledger/balances.py``)."""

    donations: Decimal = Decimal(0)
    granted: Decimal = Decimal(0)
    cash: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)

    def __add__(self, other: Movement) -> Movement:
        return Movement(
            self.donations + other.donations,
            self.granted + other.granted,
            self.cash + other.cash,
            self.committed + other.committed,
        )

    @property
    def paid_out(self) -> Decimal:
        return self.donations - self.cash

    def balance(self, code: str) -> FundBalance:
        return FundBalance(
            currency=code,
            donations=self.donations,
            granted=self.granted,
            disbursed=self.paid_out,
            cash=self.cash,
            committed=self.committed,
            available=self.donations - self.granted,
        )


def movement_of(entry: JournalEntry, fund: Fund) -> Movement:
    sums: dict[str, Decimal] = {}
    for line in entry.lines.all():
        if line.fund_id == fund.pk:
            sums[line.account] = sums.get(line.account, Decimal(0)) + line.amount
    return Movement(
        donations=-sums.get(Account.DONATIONS, Decimal(0)),
        granted=sums.get(Account.GRANTS, Decimal(0)),
        cash=sums.get(Account.FUND_CASH, Decimal(0)),
        committed=-sums.get(Account.GRANTS_PAYABLE, Decimal(0)),
    )


@dataclass(frozen=True)
class StatementLine:
    entry: JournalEntry
    what: str
    donations: str
    granted: str
    paid_out: str
    cash: str
    available: str


@dataclass(frozen=True)
class MonthLine:
    label: str
    donations: str
    granted: str
    paid_out: str
    cash: str


@dataclass(frozen=True)
class Statement:
    fund: Fund
    year: int | None
    opening: BalanceView
    closing: BalanceView
    lines: list[StatementLine]
    months: list[MonthLine]


def describe(entry: JournalEntry) -> str:
    """What an entry records, by ids only (no donor, no payee)."""
    parts = [str(entry.get_kind_display())]
    if entry.reverses_id is not None and entry.reverses is not None:
        parts.append(_("of entry %(sequence)s") % {"sequence": entry.reverses.sequence})
    if entry.donation_id is not None:
        parts.append(_("donation #%(id)s") % {"id": entry.donation_id})
    if entry.grant_id is not None and entry.grant is not None:
        parts.append(_("grant #%(id)s") % {"id": entry.grant_id})
        if entry.grant.case_id is not None:
            parts.append(_("case #%(id)s") % {"id": entry.grant.case_id})
        elif entry.grant.partner is not None:
            parts.append(entry.grant.partner.name)
    if entry.disbursement_id is not None:
        parts.append(_("payment #%(id)s") % {"id": entry.disbursement_id})
    return " · ".join(parts)


def _entries(fund: Fund) -> list[JournalEntry]:
    entries = list(
        JournalEntry.objects.filter(fund=fund)
        .select_related("donation", "disbursement", "grant", "grant__partner", "reverses")
        .prefetch_related("lines")
        .order_by("posted_on", "sequence")
    )
    check_entries(entries)  # LedgerTampered: no figure is shown from a changed journal
    return entries


def _shown(amount: Decimal, code: str) -> str:
    return shown_money(amount, code) if amount else ""


def fund_statement(fund: Fund, year: int | None = None) -> Statement:
    code = fund.currency
    total = Movement()
    lines: list[StatementLine] = []
    months: dict[tuple[int, int], Movement] = {}
    month_cash: dict[tuple[int, int], Decimal] = {}
    opening = Movement()
    for entry in _entries(fund):
        moved = movement_of(entry, fund)
        if year is not None and entry.posted_on < datetime.date(year, 1, 1):
            opening += moved
            total += moved
            continue
        if year is not None and entry.posted_on.year > year:
            break
        total += moved
        key = (entry.posted_on.year, entry.posted_on.month)
        months[key] = months.get(key, Movement()) + moved
        month_cash[key] = total.cash
        lines.append(
            StatementLine(
                entry=entry,
                what=describe(entry),
                donations=_shown(moved.donations, code),
                granted=_shown(moved.granted, code),
                paid_out=_shown(moved.paid_out, code),
                cash=shown_money(total.cash, code),
                available=shown_money(total.donations - total.granted, code),
            )
        )
    month_lines = [
        MonthLine(
            label=f"{MONTHS[month]} {year_of}",
            donations=shown_money(moved.donations, code),
            granted=shown_money(moved.granted, code),
            paid_out=shown_money(moved.paid_out, code),
            cash=shown_money(month_cash[(year_of, month)], code),
        )
        for (year_of, month), moved in sorted(months.items())
    ]
    return Statement(
        fund=fund,
        year=year,
        opening=balance_view(opening.balance(code)),
        closing=balance_view(total.balance(code)),
        lines=lines,
        months=month_lines,
    )
