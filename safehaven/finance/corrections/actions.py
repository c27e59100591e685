"""Reverse a journal entry: the only correction. The mistaken entry stays; a reversal entry
turns every line round, points at it, and links to the same donation, grant or payment.

What may be reversed, and what follows:

- a donation: refused if the fund would go below zero without an overdraft;
- a grant's approval: only while nothing of it is paid (reverse the payments first) and the
  grant is still approved; the grant becomes cancelled;
- a payment: only while its grant is approved (its amount may be paid again); once confirmed
  at reconciliation, only by a finance officer who neither recorded nor confirmed it (one
  officer alone could otherwise undo a payment the bank statement shows and pay it again).
  Where no such third officer exists, money that came back is recorded as a donation to the
  fund, and the grant stays paid;
- a release or a reversal: never (ask for a new grant, or post the original again).

Only a finance officer holding the finance team's key reverses anything. A donation's reversal
locks its fund's row before it reads what the fund has available.
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
from safehaven.finance.models import Fund, Grant, JournalEntry
from safehaven.finance.records import refuse_unless_finance_key_holder
from safehaven.finance.rules import (
    checked_fund,
    checked_grant,
    refuse_below_zero,
    require_finance_officer,
)
from safehaven.finance.tags import grant_tag
from safehaven.finance.trail import confirmers, posted_detail, stamp


def _grant_of(entry: JournalEntry) -> Grant:
    if entry.grant_id is None:
        raise CaseActionRefused(_("This entry records no grant."))
    return checked_grant(
        Grant.objects.select_for_update(of=("self",)).select_related("fund").get(pk=entry.grant_id)
    )


def _refuse_one_officer_undoing_a_confirmed_payment(entry: JournalEntry, actor: User) -> None:
    confirmed = confirmers([entry.disbursement_id] if entry.disbursement_id else [])
    if entry.disbursement_id not in confirmed:
        return
    if actor.pk in (entry.posted_by_id, confirmed[entry.disbursement_id]):
        raise CaseActionRefused(
            _(
                "This payment was confirmed at reconciliation: a finance officer who neither "
                "recorded nor confirmed it reverses it. If the money came back and there is no "
                "such officer, record it as a donation to the fund instead."
            )
        )


def _check_reversible(entry: JournalEntry, actor: User) -> None:
    kind = EntryKind(entry.kind)
    if kind in (EntryKind.REVERSAL, EntryKind.GRANT_RELEASE):
        raise CaseActionRefused(
            _("A reversal or a cancellation's release cannot be reversed: post a new entry.")
        )
    if JournalEntry.objects.filter(reverses=entry).exists():
        raise CaseActionRefused(_("This entry has already been reversed."))
    if kind == EntryKind.DONATION:
        fund = checked_fund(Fund.objects.select_for_update().get(pk=entry.fund_id))
        amount = sum(line.amount for line in entry.lines.all() if line.amount > 0)
        refuse_below_zero(fund, available_after=fund_balance(fund).available - amount)
        return
    grant = _grant_of(entry)
    if grant.state != GrantState.APPROVED:
        raise CaseActionRefused(_("The grant is no longer approved: this cannot be reversed."))
    if kind == EntryKind.GRANT_APPROVAL and grant_position(grant).paid != 0:
        raise CaseActionRefused(_("Part of this grant has been paid: reverse its payments first."))
    if kind == EntryKind.DISBURSEMENT:
        _refuse_one_officer_undoing_a_confirmed_payment(entry, actor)


def do_reverse_entry(
    entry: JournalEntry,
    *,
    actor: User,
    private_key: bytes | None,
    posted_on: date | None = None,
) -> JournalEntry:
    """Post the reversal of ``entry`` (a correction); returns the reversal entry."""
    with transaction.atomic():
        entry = (
            JournalEntry.objects.select_for_update(of=("self",))
            .select_related("fund", "fund__organisation", "donation", "disbursement")
            .prefetch_related("lines")
            .get(pk=entry.pk)
        )
        organisation = entry.fund.organisation
        require_finance_officer(actor, organisation)
        refuse_unless_finance_key_holder(organisation, actor=actor, private_key=private_key)
        check_entries([entry])
        _check_reversible(entry, actor)
        reversal = post_reversal(entry, actor=actor, posted_on=posted_on or timezone.localdate())
        cancelled = None
        if entry.kind == EntryKind.GRANT_APPROVAL:
            cancelled = _grant_of(entry)
            cancelled.state = GrantState.CANCELLED
            cancelled.save()
        recorded = record_event(
            EventType.ENTRY_REVERSED,
            actor=actor,
            organisation=organisation,
            target_type="journalentry",
            target_ref=str(entry.sequence),
            detail=posted_detail([reversal.sequence], f"reverses entry {entry.sequence}"),
        )
        if cancelled is not None:
            stamp(cancelled, recorded, grant_tag)
    return reversal
