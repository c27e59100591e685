"""Posting to the journal: the only code that writes ``JournalEntry`` and ``JournalLine``.

Every finance action that moves money calls one of the ``post_*`` functions inside its own
transaction. Each builds the lines of its kind of entry, checks that they balance in every
currency and that each amount is a whole number of its currency's minor units, then appends
the entry to the chain: the next ``sequence``, the previous entry's tag, and a tag of its own
over the entry, its lines and its source row (``finance/tags.py``). Entries are never edited:
a correction is :func:`post_reversal`.

The postings (debit positive, credit negative; docs/finance.md):

============================  =====================================  ===========================
entry                         debit                                  credit
============================  =====================================  ===========================
donation                      FUND_CASH (fund)                       DONATIONS (fund)
grant approval                GRANTS (fund, grant)                   GRANTS_PAYABLE (fund, grant)
release of a cancelled grant  GRANTS_PAYABLE (fund, grant)           GRANTS (fund, grant)
disbursement                  GRANTS_PAYABLE (fund, grant)           FUND_CASH (fund)
reversal                      the reversed entry's lines, each with its sign turned
============================  =====================================  ===========================
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.core.audit import hold_audit_chain
from safehaven.core.models import AuditEvent
from safehaven.finance.choices import GRANT_ACCOUNTS, Account, EntryKind
from safehaven.finance.exceptions import LedgerTampered, LedgerUnbalanced
from safehaven.finance.models import (
    Disbursement,
    Donation,
    Fund,
    Grant,
    JournalEntry,
    JournalLine,
)
from safehaven.finance.money import rounded_to
from safehaven.finance.tags import entry_intact, entry_tag
from safehaven.finance.trail import newest_posted_entry


@dataclass(frozen=True)
class Line:
    """A line about to be posted: ``amount`` is signed (debit positive)."""

    account: Account
    fund: Fund
    amount: Decimal
    grant: Grant | None = None

    @property
    def currency(self) -> str:
        return self.fund.currency


def check_balanced(lines: Sequence[Line]) -> None:
    """Raise LedgerUnbalanced unless the lines sum to zero in every currency, none is zero,
    every amount is a whole number of its currency's minor units, and exactly the grant
    accounts name a grant."""
    if len(lines) < 2:
        raise LedgerUnbalanced("an entry has at least two lines")
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        if not isinstance(line.amount, Decimal):
            raise LedgerUnbalanced(f"{line.account}: amounts are Decimal")
        if line.amount == 0 or rounded_to(line.amount, line.currency) != line.amount:
            raise LedgerUnbalanced(f"{line.account}: {line.amount} is not an amount")
        if (line.grant is not None) != (line.account in GRANT_ACCOUNTS):
            raise LedgerUnbalanced(f"{line.account}: a grant line names its grant, no other")
        totals[line.currency] += line.amount
    unbalanced = {code: total for code, total in totals.items() if total != 0}
    if unbalanced:
        raise LedgerUnbalanced(f"entry does not balance: {unbalanced}")


def ledger_tampered() -> LedgerTampered:
    return LedgerTampered(
        _(
            "The ledger does not match its checks: nothing can be posted until it is. "
            "Run `manage.py verify_ledger` and tell your administrators."
        )
    )


def _last_entry() -> JournalEntry | None:
    """The newest entry, checked: its tag, no entry missing before it, and none after it that
    the audit log says was posted (``trail.py``): a number is never given twice."""
    last = (
        JournalEntry.objects.select_related("donation", "disbursement")
        .order_by("-sequence")
        .first()
    )
    newest_named = newest_posted_entry()
    if last is None:
        if newest_named:
            raise ledger_tampered()
        return None
    if not entry_intact(last, last.lines.all()) or JournalEntry.objects.count() != last.sequence:
        raise ledger_tampered()
    if newest_named > last.sequence:
        # The newest entries were deleted together (no gap is left), e.g. a payment's, so that
        # the grant could be paid twice: the audit chain still names them.
        raise ledger_tampered()
    return last


def _post(
    kind: EntryKind,
    lines: Sequence[Line],
    *,
    fund: Fund,
    posted_on: date,
    actor: User,
    donation: Donation | None = None,
    grant: Grant | None = None,
    disbursement: Disbursement | None = None,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    using = router.db_for_write(JournalEntry)
    if not connections[using].in_atomic_block:
        raise RuntimeError("post entries inside the action's transaction.atomic()")
    check_balanced(lines)
    # Entries are numbered one at a time: every finance action records an audit event, so
    # taking the audit chain's lock now (PostgreSQL; SQLite's IMMEDIATE transactions already
    # run one at a time) keeps two postings from taking the same number.
    hold_audit_chain(router.db_for_write(AuditEvent))
    last = _last_entry()
    entry = JournalEntry.objects.create(
        sequence=1 if last is None else last.sequence + 1,
        previous_tag=b"" if last is None else bytes(last.tag),
        organisation_id=fund.organisation_id,
        kind=kind,
        fund=fund,
        donation=donation,
        grant=grant,
        disbursement=disbursement,
        reverses=reverses,
        posted_on=posted_on,
        posted_by=actor,
        posted_at=timezone.now(),
    )
    rows = JournalLine.objects.bulk_create(
        JournalLine(
            entry=entry,
            account=line.account,
            fund=line.fund,
            grant=line.grant,
            currency=line.currency,
            amount=line.amount,
        )
        for line in lines
    )
    entry.tag = entry_tag(entry, rows)
    entry.save(update_fields=["tag"])
    return entry


def post_donation(donation: Donation, *, actor: User) -> JournalEntry:
    fund, amount = donation.fund, donation.amount
    lines = [Line(Account.FUND_CASH, fund, amount), Line(Account.DONATIONS, fund, -amount)]
    return _post(
        EntryKind.DONATION,
        lines,
        fund=fund,
        posted_on=donation.received_on,
        actor=actor,
        donation=donation,
    )


def post_grant_approval(grant: Grant, *, actor: User, posted_on: date) -> JournalEntry:
    fund, amount = grant.fund, grant.amount
    lines = [
        Line(Account.GRANTS, fund, amount, grant),
        Line(Account.GRANTS_PAYABLE, fund, -amount, grant),
    ]
    return _post(
        EntryKind.GRANT_APPROVAL, lines, fund=fund, posted_on=posted_on, actor=actor, grant=grant
    )


def post_grant_release(
    grant: Grant, amount: Decimal, *, actor: User, posted_on: date
) -> JournalEntry:
    """The unpaid ``amount`` of a cancelled grant goes back to its fund."""
    fund = grant.fund
    lines = [
        Line(Account.GRANTS_PAYABLE, fund, amount, grant),
        Line(Account.GRANTS, fund, -amount, grant),
    ]
    return _post(
        EntryKind.GRANT_RELEASE, lines, fund=fund, posted_on=posted_on, actor=actor, grant=grant
    )


def post_disbursement(disbursement: Disbursement, *, actor: User) -> JournalEntry:
    grant = disbursement.grant
    fund, amount = grant.fund, disbursement.amount
    lines = [
        Line(Account.GRANTS_PAYABLE, fund, amount, grant),
        Line(Account.FUND_CASH, fund, -amount),
    ]
    return _post(
        EntryKind.DISBURSEMENT,
        lines,
        fund=fund,
        posted_on=disbursement.paid_on,
        actor=actor,
        grant=grant,
        disbursement=disbursement,
    )


def post_reversal(entry: JournalEntry, *, actor: User, posted_on: date) -> JournalEntry:
    """An entry with every line of ``entry`` turned round, linked to it and to its source."""
    lines = [
        Line(Account(line.account), line.fund, -line.amount, line.grant)
        for line in entry.lines.select_related("fund", "grant").order_by("pk")
    ]
    return _post(
        EntryKind.REVERSAL,
        lines,
        fund=entry.fund,
        posted_on=posted_on,
        actor=actor,
        donation=entry.donation,
        grant=entry.grant,
        disbursement=entry.disbursement,
        reverses=entry,
    )
