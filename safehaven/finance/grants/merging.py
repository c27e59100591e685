"""Grants follow a case merge (``cases.merging``): each requested or approved grant of the
absorbed case is moved to the kept case, never by editing a row or an entry.

- a requested grant: a new request for the kept case (same fund, category, amount, requester
  and hour asked; a second officer if the old one needed one or the kept case's grants now
  need it); the old one is cancelled;
- an approved grant: its approval entry is reversed (the old grant is cancelled, as a
  reversal of an approval cancels it) and the same approval is posted again for a new grant to
  the kept case (same fund, category, amount, requester and decider).

Refused and cancelled grants moved no money that is still live: they stay with the absorbed
case's history, which points at the kept case. A grant with payments is not moved (its payee
details are sealed to the finance team only, which the merging caseworker cannot open): the
merge is refused, naming it. Each posting keeps the audit event the ledger's proof needs
(``trail.py``): ``ENTRY_REVERSED`` for a reversal, ``GRANT_MOVED`` for the new grant (which
posts its approval), ``GRANT_CANCELLED`` for a request cancelled.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.finance.choices import EntryKind, GrantCategory, GrantState
from safehaven.finance.ledger.balances import check_entries, grant_position, live_entry
from safehaven.finance.ledger.postings import post_grant_approval, post_reversal
from safehaven.finance.models import Fund, Grant, JournalEntry
from safehaven.finance.rules import (
    checked_fund,
    checked_grant,
    refuse_unless_fits,
    second_officer_needed,
)
from safehaven.finance.tags import grant_tag
from safehaven.finance.trail import posted_detail, stamp

MOVED_STATES = (GrantState.REQUESTED, GrantState.APPROVED)


def _refuse_unless_movable(grant: Grant, fund: Fund, kept: Case, absorbed: Case) -> None:
    if grant.state == GrantState.APPROVED and grant_position(grant).paid != 0:
        raise CaseActionRefused(
            _(
                "Grant #%(grant)s of case #%(case)s has payments recorded, which a merge cannot "
                "move: keep case #%(case)s and merge the other into it."
            )
            % {"grant": grant.pk, "case": absorbed.pk}
        )
    try:
        refuse_unless_fits(fund, category=GrantCategory(grant.category), case=kept, partner=None)
    except CaseActionRefused as refusal:
        raise CaseActionRefused(
            _("Grant #%(grant)s cannot move to case #%(kept)s: %(reason)s")
            % {"grant": grant.pk, "kept": kept.pk, "reason": str(refusal)}
        ) from None


def _new_grant(old: Grant, kept: Case, *, state: GrantState, needs_second_officer: bool) -> Grant:
    return Grant.objects.create(
        fund=old.fund,
        case=kept,
        category=old.category,
        amount=old.amount,
        currency=old.currency,
        state=state,
        requested_by=old.requested_by,
        requested_at=old.requested_at,
        needs_second_officer=needs_second_officer,
        decided_by=old.decided_by,
        decided_at=old.decided_at,
    )


def _stamp_moved(new: Grant, old: Grant, absorbed: Case, actor: User, posted: list[int]) -> None:
    facts = [f"from grant #{old.pk}", f"case #{absorbed.pk} into case #{new.case_id}"]
    detail = posted_detail(posted, *facts) if posted else ", ".join(facts)
    organisation = new.fund.organisation
    recorded = record_event(
        EventType.GRANT_MOVED, actor=actor, organisation=organisation, target=new, detail=detail
    )
    stamp(new, recorded, grant_tag)


def _move_request(old: Grant, kept: Case, absorbed: Case, actor: User) -> Grant:
    needs_second = old.needs_second_officer or second_officer_needed(
        old.fund, amount=old.amount, case=kept, partner=None, requester=old.requested_by
    )
    new = _new_grant(old, kept, state=GrantState.REQUESTED, needs_second_officer=needs_second)
    old.state = GrantState.CANCELLED
    old.save()
    recorded = record_event(
        EventType.GRANT_CANCELLED,
        actor=actor,
        organisation=old.fund.organisation,
        target=old,
        detail=f"moved to grant #{new.pk} by a merge",
    )
    stamp(old, recorded, grant_tag)
    _stamp_moved(new, old, absorbed, actor, [])
    return new


def _move_approved(old: Grant, kept: Case, absorbed: Case, actor: User) -> Grant:
    approval = live_entry(EntryKind.GRANT_APPROVAL, grant=old)
    if approval is None:
        raise CaseActionRefused(
            _("Grant #%(grant)s is approved but its approval entry is missing: run verify_ledger.")
            % {"grant": old.pk}
        )
    approval = JournalEntry.objects.prefetch_related("lines").get(pk=approval.pk)
    check_entries([approval])
    today = timezone.localdate()
    reversal = post_reversal(approval, actor=actor, posted_on=today)
    old.state = GrantState.CANCELLED
    old.save()
    recorded = record_event(
        EventType.ENTRY_REVERSED,
        actor=actor,
        organisation=old.fund.organisation,
        target_type="journalentry",
        target_ref=str(approval.sequence),
        detail=posted_detail(
            [reversal.sequence], f"reverses entry {approval.sequence}", "grant moved by a merge"
        ),
    )
    stamp(old, recorded, grant_tag)
    new = _new_grant(
        old, kept, state=GrantState.APPROVED, needs_second_officer=old.needs_second_officer
    )
    entry = post_grant_approval(new, actor=actor, posted_on=today)
    _stamp_moved(new, old, absorbed, actor, [entry.sequence])
    return new


def move_grants_on_merge(kept: Case, absorbed: Case, *, actor: User, private_key: bytes) -> None:
    """The merge listener (registered from ``FinanceConfig.ready``): inside the merge's
    transaction, every requested or approved grant of ``absorbed`` moves to ``kept``. Raises
    CaseActionRefused (the merge is refused) for a grant with payments, one whose fund does not
    fit the kept case, or a row or entry that fails its tag."""
    grants = list(
        Grant.objects.select_for_update(of=("self",))
        .select_related("fund", "fund__organisation", "requested_by", "decided_by")
        .filter(case=absorbed, state__in=MOVED_STATES)
        .order_by("pk")
    )
    for grant in grants:
        checked_grant(grant)
        fund = checked_fund(Fund.objects.select_for_update().get(pk=grant.fund_id))
        _refuse_unless_movable(grant, fund, kept, absorbed)
    for grant in grants:
        if grant.state == GrantState.REQUESTED:
            _move_request(grant, kept, absorbed, actor)
        else:
            _move_approved(grant, kept, absorbed, actor)
