"""Grants follow a case merge (``cases.merging``): each requested or approved grant of the
absorbed case becomes a *request* on the kept case, never by editing a row or an entry, and
never approved by the merge.

A merge is done by a triage member or a supervisor, not by a finance officer: if it carried an
approval over, one person outside the finance team could send approved money to another
person's case. So the money's decision is taken again, under the two-person rule, by a finance
officer (``grants.actions.do_approve_grant``):

- a requested grant: a new request for the kept case (same fund, category, amount, currency,
  requester and hour asked; a second officer if the old one needed one or the kept case's
  grants now need it); the old one is cancelled (``GRANT_CANCELLED``);
- an approved grant with nothing paid: its approval entry is reversed (``ENTRY_REVERSED``;
  the old grant is cancelled, as a reversal of an approval cancels it, and its money is
  available in the fund again) and a new *request* is made for the kept case exactly as for a
  requested grant. No approval entry is posted.

Each new request has its own ``GRANT_MOVED`` event (it posts nothing), which stamps it and is
"its request's event" for the two-person rules. Refused and cancelled grants moved no money
that is still live: they stay with the absorbed case's history, which points at the kept case.
A grant with payments is not moved (its payee details are sealed to the finance team only,
which the merging caseworker cannot open): the merge is refused, naming it.
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
from safehaven.finance.ledger.postings import post_reversal
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


def _live_approval(grant: Grant) -> JournalEntry:
    """The approved grant's approval entry, not yet reversed, its tag checked."""
    approval = live_entry(EntryKind.GRANT_APPROVAL, grant=grant)
    if approval is None:
        raise CaseActionRefused(
            _("Grant #%(grant)s is approved but its approval entry is missing: run verify_ledger.")
            % {"grant": grant.pk}
        )
    approval = JournalEntry.objects.prefetch_related("lines").get(pk=approval.pk)
    check_entries([approval])
    return approval


def _new_request(old: Grant, kept: Case) -> Grant:
    """A request for the kept case with the old grant's fund, category, amount, currency,
    requester and hour asked; undecided, whatever the old one's state."""
    needs_second = old.needs_second_officer or second_officer_needed(
        old.fund, amount=old.amount, case=kept, partner=None, requester=old.requested_by
    )
    return Grant.objects.create(
        fund=old.fund,
        case=kept,
        category=old.category,
        amount=old.amount,
        currency=old.currency,
        state=GrantState.REQUESTED,
        requested_by=old.requested_by,
        requested_at=old.requested_at,
        needs_second_officer=needs_second,
    )


def _cancel_request(old: Grant, new: Grant, actor: User) -> None:
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


def _reverse_approval(old: Grant, approval: JournalEntry, new: Grant, actor: User) -> None:
    """The old grant's approval reversed and the grant cancelled: one correction, its event the
    one the ledger's proof holds the reversal to (``trail.py``)."""
    reversal = post_reversal(approval, actor=actor, posted_on=timezone.localdate())
    old.state = GrantState.CANCELLED
    old.save()
    recorded = record_event(
        EventType.ENTRY_REVERSED,
        actor=actor,
        organisation=old.fund.organisation,
        target_type="journalentry",
        target_ref=str(approval.sequence),
        detail=posted_detail(
            [reversal.sequence],
            f"reverses entry {approval.sequence}",
            f"moved to grant #{new.pk} by a merge",
        ),
    )
    stamp(old, recorded, grant_tag)


def _record_moved(new: Grant, old: Grant, absorbed: Case, actor: User) -> None:
    """The new request's own event: it posts nothing, so its detail never starts with
    ``posted``; it stamps the request and is its request's event for the two-person rules."""
    recorded = record_event(
        EventType.GRANT_MOVED,
        actor=actor,
        organisation=new.fund.organisation,
        target=new,
        detail=f"from grant #{old.pk}, case #{absorbed.pk} into case #{new.case_id}",
    )
    stamp(new, recorded, grant_tag)


def _move(
    old: Grant, approval: JournalEntry | None, kept: Case, absorbed: Case, actor: User
) -> Grant:
    new = _new_request(old, kept)
    if approval is None:
        _cancel_request(old, new, actor)
    else:
        _reverse_approval(old, approval, new, actor)
    _record_moved(new, old, absorbed, actor)
    return new


def move_grants_on_merge(kept: Case, absorbed: Case, *, actor: User, private_key: bytes) -> None:
    """The merge listener (registered from ``FinanceConfig.ready``): inside the merge's
    transaction, every requested or approved grant of ``absorbed`` becomes a request on
    ``kept``, which a finance officer decides. Raises CaseActionRefused (the merge is refused)
    for a grant with payments, one whose fund does not fit the kept case, or a row or entry
    that fails its tag."""
    grants = list(
        Grant.objects.select_for_update(of=("self",))
        .select_related("fund", "fund__organisation", "requested_by", "decided_by")
        .filter(case=absorbed, state__in=MOVED_STATES)
        .order_by("pk")
    )
    approvals: dict[int, JournalEntry | None] = {}
    for grant in grants:
        checked_grant(grant)
        fund = checked_fund(Fund.objects.select_for_update().get(pk=grant.fund_id))
        _refuse_unless_movable(grant, fund, kept, absorbed)
        approved = grant.state == GrantState.APPROVED
        approvals[grant.pk] = _live_approval(grant) if approved else None
    for grant in grants:
        _move(grant, approvals[grant.pk], kept, absorbed, actor)
