"""What the journal says: a fund's balances, a grant's position, spending by category and month
against the budget. Read from the lines only (no stored balance), summed in Python as Decimals
(``money.py`` says why not in SQL), each entry's tag checked first when a decision depends on
it (``verified=True``): a line a database writer changed raises LedgerTampered.

Definitions (docs/finance.md, "Balances"), all in the fund's currency and net of reversals:

- ``donations``: what donors gave (credit balance of DONATIONS);
- ``granted``: what grants approved, less what cancellations released (debit balance of GRANTS);
- ``disbursed``: what was paid out (``donations - cash``);
- ``cash``: what the fund holds (debit balance of FUND_CASH = donations - disbursed);
- ``committed``: approved and not yet paid (credit balance of GRANTS_PAYABLE);
- ``available`` = ``donations - granted`` = ``cash - committed``: what new grants may take.
  Below zero only in a fund that ``allows_overdraft``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F

from safehaven.accounts.models import Organisation
from safehaven.finance.choices import Account, EntryKind
from safehaven.finance.ledger.postings import ledger_tampered
from safehaven.finance.models import BudgetLine, Fund, Grant, JournalEntry, JournalLine
from safehaven.finance.money import Money
from safehaven.finance.tags import entry_intact


@dataclass(frozen=True)
class FundBalance:
    currency: str
    donations: Decimal
    granted: Decimal
    disbursed: Decimal
    cash: Decimal
    committed: Decimal
    available: Decimal


@dataclass(frozen=True)
class GrantPosition:
    """A grant as the ledger has it: ``approved`` (net of releases and reversals), ``paid``
    (disbursed, net of reversals) and ``remaining`` (what may still be paid)."""

    currency: str
    approved: Decimal
    paid: Decimal
    remaining: Decimal


def check_entries(entries: Iterable[JournalEntry]) -> None:
    """LedgerTampered unless every entry carries its tag (lines prefetched as ``lines``)."""
    for entry in entries:
        if not entry_intact(entry, entry.lines.all()):
            raise ledger_tampered()


def _entries(**filters: object) -> list[JournalEntry]:
    return list(
        JournalEntry.objects.filter(**filters)
        .select_related("donation", "disbursement")
        .prefetch_related("lines")
        .order_by("sequence")
    )


def _sums(lines: Iterable[JournalLine]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        sums[line.account] += line.amount
    return sums


def fund_balance(fund: Fund, *, verified: bool = True) -> FundBalance:
    """The fund's balances from its journal lines (see the module's definitions)."""
    if verified:
        entries = _entries(fund=fund)
        check_entries(entries)
        lines: list[JournalLine] = [line for entry in entries for line in entry.lines.all()]
    else:
        lines = list(JournalLine.objects.filter(fund=fund))
    sums = _sums(line for line in lines if line.fund_id == fund.pk)
    donations = -sums[Account.DONATIONS]
    granted = sums[Account.GRANTS]
    cash = sums[Account.FUND_CASH]
    committed = -sums[Account.GRANTS_PAYABLE]
    return FundBalance(
        currency=fund.currency,
        donations=donations,
        granted=granted,
        disbursed=donations - cash,
        cash=cash,
        committed=committed,
        available=donations - granted,
    )


def grant_position(grant: Grant, *, verified: bool = True) -> GrantPosition:
    """The grant's approved, paid and remaining amounts from its journal lines."""
    entry_ids = JournalLine.objects.filter(grant=grant).values("entry_id")
    entries = _entries(pk__in=entry_ids)
    if verified:
        check_entries(entries)
    sums = _sums(
        line for entry in entries for line in entry.lines.all() if line.grant_id == grant.pk
    )
    approved = sums[Account.GRANTS]
    remaining = -sums[Account.GRANTS_PAYABLE]
    return GrantPosition(
        currency=grant.currency, approved=approved, paid=approved - remaining, remaining=remaining
    )


def is_reversed(entry: JournalEntry) -> bool:
    return JournalEntry.objects.filter(reverses=entry).exists()


def live_entry(kind: EntryKind, **link: object) -> JournalEntry | None:
    """The entry of ``kind`` recording the linked row (``donation=``, ``grant=`` or
    ``disbursement=``) that no reversal undid, or None."""
    return (
        JournalEntry.objects.filter(kind=kind, reversed_by__isnull=True, **link)
        .order_by("sequence")
        .first()
    )


SpentKey = tuple[str, int, str]  # (category, month, currency)


def spent_by_category_and_month(organisation: Organisation, year: int) -> dict[SpentKey, Decimal]:
    """What was paid out under grants in ``year``, by grant category, month (1 to 12, of the day
    paid, or of the reversal's day for a reversal) and currency, net of reversals."""
    spent: dict[SpentKey, Decimal] = defaultdict(Decimal)
    lines = JournalLine.objects.filter(
        entry__organisation=organisation,
        entry__posted_on__year=year,
        entry__grant__isnull=False,
        account=Account.FUND_CASH,
    ).values_list("entry__grant__category", "entry__posted_on", "currency", "amount")
    for category, posted_on, currency, amount in lines:
        spent[(category, posted_on.month, currency)] -= amount
    return dict(spent)


@dataclass(frozen=True)
class BudgetRow:
    """One budget line against what was spent in its category and period (its month, or the
    whole year when the line has no month)."""

    category: str
    month: int | None
    budget: Money
    spent: Money

    @property
    def left(self) -> Money:
        return self.budget - self.spent


def budget_against_spent(organisation: Organisation, year: int) -> list[BudgetRow]:
    spent = spent_by_category_and_month(organisation, year)
    rows = []
    budget_lines = BudgetLine.objects.filter(organisation=organisation, year=year).order_by(
        "category", F("month").asc(nulls_first=True), "currency"
    )
    for line in budget_lines:
        months = range(1, 13) if line.month is None else [line.month]
        total = sum(
            (spent.get((line.category, month, line.currency), Decimal(0)) for month in months),
            Decimal(0),
        )
        rows.append(
            BudgetRow(
                category=line.category,
                month=line.month,
                budget=Money(line.currency, line.amount),
                spent=Money(line.currency, total),
            )
        )
    return rows
