"""Reverse a journal entry: the only correction. The mistaken entry stays; a reversal entry
turns every line round, points at it, and links to the same donation, grant or payment.

What may be reversed, and what follows:

- a donation: refused if the fund would go below zero without an overdraft;
- a grant's approval: only while nothing of it is paid (reverse the payments first) and the
  grant is still approved; the grant becomes cancelled;
- a payment: only while its grant is approved (its amount may be paid again);
- a release or a reversal: never (ask for a new grant, or post the original again).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.finance.choices import EntryKind, GrantState
from safehaven.finance.ledger.balances import check_entries, fund_balance, grant_position
from safehaven.finance.ledger.postings import post_reversal
from safehaven.finance.models import Grant, JournalEntry
from safehaven.finance.rules import checked_grant, refuse_below_zero, require_finance_officer
from safehaven.finance.tags import grant_tag


def _grant_of(entry: JournalEntry) -> Grant:
    if entry.grant_id is None:
        raise CaseActionRefused(_("This entry records no grant."))
    return checked_grant(
        Grant.objects.select_for_update(of=("self",)).select_related("fund").get(pk=entry.grant_id)
    )


def _check_reversible(entry: JournalEntry) -> None:
    kind = EntryKind(entry.kind)
    if kind in (EntryKind.REVERSAL, EntryKind.GRANT_RELEASE):
        raise CaseActionRefused(
            _("A reversal or a cancellation's release cannot be reversed: post a new entry.")
        )
    if JournalEntry.objects.filter(reverses=entry).exists():
        raise CaseActionRefused(_("This entry has already been reversed."))
    if kind == EntryKind.DONATION:
        fund = entry.fund
        amount = sum(line.amount for line in entry.lines.all() if line.amount > 0)
        refuse_below_zero(fund, available_after=fund_balance(fund).available - amount)
        return
    grant = _grant_of(entry)
    if grant.state != GrantState.APPROVED:
        raise CaseActionRefused(_("The grant is no longer approved: this cannot be reversed."))
    if kind == EntryKind.GRANT_APPROVAL and grant_position(grant).paid != 0:
        raise CaseActionRefused(_("Part of this grant has been paid: reverse its payments first."))


def do_reverse_entry(
    entry: JournalEntry, *, actor: User, posted_on: date | None = None
) -> JournalEntry:
    """Post the reversal of ``entry`` (a correction); returns the reversal entry."""
    with transaction.atomic():
        entry = (
            JournalEntry.objects.select_for_update(of=("self",))
            .select_related("fund", "fund__organisation", "donation", "disbursement")
            .prefetch_related("lines")
            .get(pk=entry.pk)
        )
        require_finance_officer(actor, entry.fund.organisation)
        check_entries([entry])
        _check_reversible(entry)
        reversal = post_reversal(entry, actor=actor, posted_on=posted_on or timezone.localdate())
        if entry.kind == EntryKind.GRANT_APPROVAL:
            grant = _grant_of(entry)
            grant.state = GrantState.CANCELLED
            grant.tag = grant_tag(grant)
            grant.save()
        record_event(
            EventType.ENTRY_REVERSED,
            actor=actor,
            organisation=entry.fund.organisation,
            target_type="journalentry",
            target_ref=str(entry.sequence),
            detail=f"entry {entry.sequence} reversed by entry {reversal.sequence}",
        )
    return reversal
