"""The proof that the journal is whole (``manage.py verify_ledger``).

Checks, naming every entry or row that fails:

1. the chain: sequences 1, 2, … without a gap; each entry's ``previous_tag`` is the tag of
   the one before; each entry's tag matches it, its lines and its source row's facts;
2. each entry balances in every currency, its lines are in its fund's currency and its fund;
   a reversal's lines are exactly the reversed entry's, turned round;
3. each entry's links fit its kind, and every donation and payment has its entry, with the
   same amount;
4. the figures the application keeps outside the journal equal it: each grant's state and
   amount (approved ones have an approval entry of that amount), and funds, grants and
   thresholds carry their tags and are as their latest audited change left them (not rows
   restored from a backup with their earlier tags);
5. no grant is paid beyond what it was granted, and no fund is below zero unless it allows an
   overdraft;
6. the audit log (``trail.py``) and the journal agree: every entry is named as posted by
   exactly one audit event, of the kind that event posts and recording the row it names, and
   every entry an event names exists, so entries deleted from the chain's end (which leave no
   gap) are found. Run ``verify_audit`` too: it proves the audit log itself whole.

No balance is stored: every balance is summed from the lines (``balances``), so (4) is about
the rows that state what the lines must say.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from safehaven.core.audit import DETAIL_MAX, record_event
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.finance.choices import Account, EntryKind, GrantState
from safehaven.finance.ledger.balances import fund_balance, grant_position
from safehaven.finance.models import (
    Disbursement,
    Donation,
    Fund,
    Grant,
    GrantThreshold,
    JournalEntry,
    JournalLine,
)
from safehaven.finance.tags import entry_intact, fund_intact, grant_intact, threshold_intact
from safehaven.finance.trail import is_latest_change, posted_in, posted_what_it_says, posting_events

RESTORED = "is not as its latest audited change left it (restored from a backup?)"

CHUNK = 2000


@dataclass(frozen=True)
class Problem:
    where: str  # "entry 17", "grant #3", "fund #2"
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def _line_key(line: JournalLine) -> tuple[str, int, int | None, str, Decimal]:
    return (line.account, line.fund_id, line.grant_id, line.currency, line.amount)


def _check_entry(entry: JournalEntry, lines: list[JournalLine], fund: Fund) -> Iterator[str]:
    if not entry_intact(entry, lines):
        yield "does not match its tag (changed, inserted or moved outside the application)"
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        totals[line.currency] += line.amount
        if line.fund_id != entry.fund_id or line.currency != fund.currency:
            yield f"a line is not in the entry's fund or its currency ({line.currency})"
    if len(lines) < 2:
        yield "has fewer than two lines"
    for code, total in sorted(totals.items()):
        if total != 0:
            yield f"does not balance in {code} ({total:+f})"
    kind = entry.kind
    if kind == EntryKind.DONATION and (entry.donation_id is None or entry.grant_id is not None):
        yield "a donation's entry links to no donation, or to a grant"
    if kind in (EntryKind.GRANT_APPROVAL, EntryKind.GRANT_RELEASE) and entry.grant_id is None:
        yield "a grant's entry links to no grant"
    if kind == EntryKind.DISBURSEMENT and (
        entry.disbursement is None or entry.disbursement.grant_id != entry.grant_id
    ):
        yield "a payment's entry links to no payment, or to another grant than the payment's"
    if kind == EntryKind.REVERSAL and entry.reverses_id is None:
        yield "a reversal reverses nothing"
    if kind != EntryKind.REVERSAL and entry.reverses_id is not None:
        yield "an entry that is not a reversal reverses another"


def _check_chain() -> Iterator[Problem]:
    expected, previous_tag = 1, b""
    lines_of: dict[int, list[JournalLine]] = {}
    entries = (
        JournalEntry.objects.select_related("fund", "donation", "disbursement")
        .prefetch_related("lines")
        .order_by("sequence")
    )
    for entry in entries.iterator(chunk_size=CHUNK):
        where = f"entry {entry.sequence}"
        if entry.sequence != expected:
            yield Problem(where, f"entries {expected} to {entry.sequence - 1} are missing")
        if bytes(entry.previous_tag) != previous_tag:
            yield Problem(where, "does not follow the entry before it (chain broken)")
        lines = list(entry.lines.all())
        for what in _check_entry(entry, lines, entry.fund):
            yield Problem(where, what)
        if entry.reverses_id is not None:
            reversed_lines = lines_of.get(entry.reverses_id)
            turned = sorted((a, f, g, c, -x) for a, f, g, c, x in map(_line_key, lines))
            if reversed_lines is None or turned != sorted(map(_line_key, reversed_lines)):
                yield Problem(where, "is not the exact reversal of the entry it reverses")
        lines_of[entry.pk] = lines
        expected, previous_tag = entry.sequence + 1, bytes(entry.tag)


def _entry_amount(kind: EntryKind, **link: object) -> Decimal | None:
    """The positive amount of the (first) entry of ``kind`` for the linked row, or None."""
    entry = JournalEntry.objects.filter(kind=kind, **link).order_by("sequence").first()
    if entry is None:
        return None
    return sum((line.amount for line in entry.lines.all() if line.amount > 0), Decimal(0))


def _check_sources() -> Iterator[Problem]:
    for donation in Donation.objects.order_by("pk").iterator(chunk_size=CHUNK):
        amount = _entry_amount(EntryKind.DONATION, donation=donation)
        if amount != donation.amount:
            yield Problem(f"donation #{donation.pk}", "its amount is not its entry's")
    for payment in Disbursement.objects.order_by("pk").iterator(chunk_size=CHUNK):
        amount = _entry_amount(EntryKind.DISBURSEMENT, disbursement=payment)
        if amount != payment.amount:
            yield Problem(f"payment #{payment.pk}", "its amount is not its entry's")
    for grant in Grant.objects.select_related("fund").order_by("pk").iterator(chunk_size=CHUNK):
        where = f"grant #{grant.pk}"
        if not grant_intact(grant):
            yield Problem(where, "does not match its tag (changed outside the application)")
        elif not is_latest_change(grant):
            yield Problem(where, RESTORED)
        approval = _entry_amount(EntryKind.GRANT_APPROVAL, grant=grant)
        if grant.state in (GrantState.REQUESTED, GrantState.REFUSED) and approval is not None:
            yield Problem(where, f"is {grant.state} but has an approval entry")
        if grant.state == GrantState.APPROVED and approval != grant.amount:
            yield Problem(where, "is approved but its approval entry is missing or differs")
        position = grant_position(grant, verified=False)
        if position.remaining < 0 or position.paid > position.approved or position.paid < 0:
            yield Problem(where, "is paid beyond what was granted")


def _check_funds() -> Iterator[Problem]:
    for threshold in GrantThreshold.objects.order_by("pk"):
        if not threshold_intact(threshold):
            yield Problem(f"threshold #{threshold.pk}", "does not match its tag")
        elif not is_latest_change(threshold):
            yield Problem(f"threshold #{threshold.pk}", RESTORED)
    for fund in Fund.objects.order_by("pk"):
        where = f"fund #{fund.pk}"
        if not fund_intact(fund):
            yield Problem(where, "does not match its tag (changed outside the application)")
        elif not is_latest_change(fund):
            yield Problem(where, RESTORED)
        balance = fund_balance(fund, verified=False)
        if balance.available < 0 and not fund.allows_overdraft:
            yield Problem(where, f"is below zero ({balance.available:f} {fund.currency})")
        if JournalLine.objects.filter(fund=fund).exclude(account__in=Account.values).exists():
            yield Problem(where, "has a line on an account the ledger does not know")


def _check_audit() -> Iterator[Problem]:
    """The journal is what the audit log says was posted: the audit chain (``verify_audit``)
    keeps what the ledger's own chain cannot, its newest entries deleted together."""
    entries = {
        entry.sequence: entry
        for entry in JournalEntry.objects.select_related("reverses").iterator(chunk_size=CHUNK)
    }
    named: dict[int, AuditEvent] = {}
    for event in posting_events():
        for number in posted_in(event.detail):
            where = f"entry {number}"
            if number in named:
                yield Problem(
                    where, f"is named by audit events #{named[number].pk} and #{event.pk}"
                )
                continue
            named[number] = event
            entry = entries.get(number)
            if entry is None:
                yield Problem(where, f"is named by audit event #{event.pk} but missing")
                continue
            reversed_sequence = entry.reverses.sequence if entry.reverses else None
            if not posted_what_it_says(event, entry, reversed_sequence):
                yield Problem(where, f"is not what audit event #{event.pk} says it posted")
    for number in sorted(set(entries) - set(named)):
        yield Problem(
            f"entry {number}", "is named by no audit event (posted around the application)"
        )
    if named and entries and max(named) != max(entries):
        yield Problem(
            f"entry {max(named)}", f"is the last one posted, but the journal ends at {max(entries)}"
        )


def verify_ledger() -> list[Problem]:
    """Every problem found, in the order above; an empty list when the ledger is whole."""
    return [*_check_chain(), *_check_sources(), *_check_funds(), *_check_audit()]


def record_tampering(problems: Sequence[Problem]) -> AuditEvent:
    """One LEDGER_TAMPERED event for a check that found ``problems`` (no actor: the check runs
    from the command line; ids only: how many, and where the first is)."""
    with transaction.atomic():
        return record_event(
            EventType.LEDGER_TAMPERED,
            actor=None,
            target_type="ledger",
            detail=f"{len(problems)} problems, first at {problems[0].where}"[:DETAIL_MAX],
        )
