"""What finance's grant pages show, read only: the queue of requests (oldest first) and the
approved grants still to pay, and one grant with its position in the ledger, its fund's
balance, its payments (clear facts only: payees are on a page of their own) and its journal
entries. Amounts are shown in the page's language with the currency's own minor units."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import get_language

from safehaven.accounts.access import Perm, has_perm_in
from safehaven.accounts.models import Organisation, User
from safehaven.finance.choices import EntryKind, GrantState
from safehaven.finance.exceptions import LedgerTampered
from safehaven.finance.ledger.balances import fund_balance, grant_position
from safehaven.finance.models import Disbursement, Grant, JournalEntry
from safehaven.finance.money import Money, format_money
from safehaven.finance.rules import grant_holds


def money_text(amount: Decimal, code: str) -> str:
    """``amount`` of ``code`` as the page's language writes money."""
    return format_money(amount, code, get_language() or "en")


def rate_text(rate: Decimal) -> str:
    """A rate as it was entered (the column keeps 9 decimals): ``0.92``, not ``0.920000000``."""
    return f"{rate.normalize():f}"


def money_texts(amounts: Iterable[Money]) -> list[str]:
    return [money_text(money.amount, money.currency) for money in amounts]


@dataclass(frozen=True)
class QueueRow:
    grant: Grant
    amount: str
    second_officer: bool  # above the threshold (or none set): not decided by its requester
    own_request: bool  # the viewer asked for it and may not decide it


@dataclass(frozen=True)
class ApprovedRow:
    grant: Grant
    amount: str
    remaining: str | None  # None: its entries do not match their checks


def _grants(organisations: QuerySet[Organisation], state: GrantState) -> QuerySet[Grant]:
    return (
        Grant.objects.filter(fund__organisation__in=organisations, state=state)
        .select_related("fund", "fund__organisation", "case", "partner", "requested_by")
        .order_by("requested_at", "pk")
    )


def requested_grants(user: User, organisations: QuerySet[Organisation]) -> list[QueueRow]:
    """The requests waiting for a decision, oldest first."""
    rows = []
    for grant in _grants(organisations, GrantState.REQUESTED):
        second = grant.needs_second_officer
        rows.append(
            QueueRow(
                grant,
                money_text(grant.amount, grant.currency),
                second,
                second and grant.requested_by_id == user.pk,
            )
        )
    return rows


def approved_grants(organisations: QuerySet[Organisation]) -> list[ApprovedRow]:
    """Approved grants with something left to pay, oldest first."""
    rows = []
    for grant in _grants(organisations, GrantState.APPROVED):
        try:
            remaining: Decimal | None = grant_position(grant).remaining
        except LedgerTampered:
            remaining = None
        if remaining is not None and remaining <= 0:
            continue
        shown = None if remaining is None else money_text(remaining, grant.currency)
        rows.append(ApprovedRow(grant, money_text(grant.amount, grant.currency), shown))
    return rows


@dataclass(frozen=True)
class PaymentRow:
    row: Disbursement
    paid: str  # as paid, in its own currency
    counted: str  # in the grant's currency
    converted: bool  # paid in another currency than the grant's, at ``rate``
    rate: str  # as entered, without trailing zeros
    live: bool  # its entry was not reversed
    entry: JournalEntry | None
    # In another currency and recorded by the viewer: another officer confirms it (its rate).
    for_another_officer: bool


@dataclass(frozen=True)
class EntryRow:
    entry: JournalEntry
    reversed: bool


@dataclass(frozen=True)
class Position:
    approved: str
    paid: str
    remaining: str
    has_remaining: bool


@dataclass(frozen=True)
class FundFigures:
    available: str
    cash: str
    committed: str


@dataclass(frozen=True)
class GrantPage:
    grant: Grant
    intact: bool  # the row carries its tag: nothing is decided on one that does not
    amount: str
    position: Position | None  # None: its entries do not match their checks
    fund: FundFigures | None
    second_officer: bool
    own_request: bool
    may_decide: bool
    may_pay: bool
    may_cancel: bool
    payments: list[PaymentRow]
    entries: list[EntryRow]


def _position(grant: Grant) -> Position | None:
    try:
        position = grant_position(grant)
    except LedgerTampered:
        return None
    code = grant.currency
    return Position(
        money_text(position.approved, code),
        money_text(position.paid, code),
        money_text(position.remaining, code),
        position.remaining > 0,
    )


def _fund_figures(grant: Grant) -> FundFigures | None:
    try:
        balance = fund_balance(grant.fund)
    except LedgerTampered:
        return None
    code = grant.fund.currency
    return FundFigures(
        money_text(balance.available, code),
        money_text(balance.cash, code),
        money_text(balance.committed, code),
    )


def _payments(
    grant: Grant, entries: list[JournalEntry], reversed_ids: set[int], user: User
) -> list[PaymentRow]:
    live_entries = {
        entry.disbursement_id: entry
        for entry in entries
        if entry.kind == EntryKind.DISBURSEMENT and entry.pk not in reversed_ids
    }
    rows = Disbursement.objects.filter(grant=grant).select_related("recorded_by", "confirmed_by")
    return [
        PaymentRow(
            row,
            money_text(row.amount_paid, row.currency_paid),
            money_text(row.amount, grant.currency),
            row.currency_paid != grant.currency,
            rate_text(row.rate),
            row.pk in live_entries,
            live_entries.get(row.pk),
            row.currency_paid != grant.currency and row.recorded_by_id == user.pk,
        )
        for row in rows.order_by("paid_on", "pk")
    ]


def grant_page(grant: Grant, user: User) -> GrantPage:
    intact = grant_holds(grant)
    entries = list(
        JournalEntry.objects.filter(grant=grant).select_related("posted_by").order_by("sequence")
    )
    reversed_ids = {entry.reverses_id for entry in entries if entry.reverses_id is not None}
    position = _position(grant)
    second = grant.needs_second_officer
    own = second and grant.requested_by_id == user.pk
    is_finance = has_perm_in(user, Perm.MANAGE_FINANCE, grant.fund.organisation)
    requested = grant.state == GrantState.REQUESTED
    approved = grant.state == GrantState.APPROVED
    return GrantPage(
        grant=grant,
        intact=intact,
        amount=money_text(grant.amount, grant.currency),
        position=position,
        fund=_fund_figures(grant),
        second_officer=second,
        own_request=own,
        may_decide=intact and is_finance and requested and not own,
        may_pay=intact and approved and position is not None and position.has_remaining,
        may_cancel=intact and (requested or approved),
        payments=_payments(grant, entries, reversed_ids, user),
        entries=[EntryRow(entry, entry.pk in reversed_ids) for entry in entries],
    )
