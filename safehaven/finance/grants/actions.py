"""Grants: asked for by a caseworker, supervisor or finance officer; approved or refused by a
finance officer; cancelled.

The two-person rule (docs/architecture.md, "a two-person approval"): asking changes no money.
Whether a grant needs a second officer is decided when it is asked for and kept on its tagged
row (``rules.second_officer_needed``: above the organisation's threshold in its currency with
the same case's or partner's recent grants, or no threshold, or one its requester just set),
so a threshold raised afterwards lets no pending grant through. Such a grant is decided only by
a finance officer other than its requester, acting in their own re-authenticated session (the
view checks that; the action takes the decider as ``actor`` and refuses the requester). Every
decider holds the finance team's key (``private_key`` opens it), was in the finance team when
the grant was asked for, and, to approve, changed neither its fund nor a threshold since.
Approval posts the grant to the ledger in the same transaction, with the fund's row locked,
refused if the fund would go below zero without an overdraft.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.access import Perm, has_perm_in
from safehaven.accounts.models import Organisation, User
from safehaven.cases.access import cases_visible_to
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.core.audit import hold_audit_chain, record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.finance.choices import EntryKind, GrantCategory, GrantState
from safehaven.finance.ledger.balances import fund_balance, grant_position, live_entry
from safehaven.finance.ledger.postings import post_grant_approval, post_grant_release
from safehaven.finance.models import Fund, Grant
from safehaven.finance.money import MoneyError, amount_in
from safehaven.finance.records import refuse_unless_finance_key_holder
from safehaven.finance.rules import (
    checked_fund,
    checked_grant,
    refuse_below_zero,
    refuse_decider_who_changed_the_rules,
    refuse_newer_finance_member,
    refuse_requester_alone,
    refuse_unless_fits,
    require_finance_officer,
    require_grant_requester,
    second_officer_needed,
)
from safehaven.finance.tags import grant_tag
from safehaven.finance.trail import posted_detail, stamp


def _save_and_audit(event: EventType, grant: Grant, actor: User, detail: str = "") -> None:
    """Save the grant, record its event, and keep that event on the row under its tag."""
    grant.save()
    recorded = record_event(
        event, actor=actor, organisation=grant.fund.organisation, target=grant, detail=detail
    )
    stamp(grant, recorded, grant_tag)


def do_request_grant(
    fund: Fund,
    *,
    category: GrantCategory | str,
    amount: Decimal | str,
    case: Case | None = None,
    partner: Organisation | None = None,
    actor: User,
) -> Grant:
    """Ask for a grant from ``fund`` to ``case`` or to ``partner`` (exactly one), in the
    fund's currency. A case grant is asked for by someone who may open the case (or a finance
    officer); a partner grant only by a finance officer. Moves no money."""
    category = GrantCategory(category)
    organisation = fund.organisation
    is_finance = has_perm_in(actor, Perm.MANAGE_FINANCE, organisation)
    if partner is not None and not is_finance:
        raise CaseActionRefused(_("Only a finance officer can ask for a grant to a partner."))
    require_grant_requester(actor, organisation)
    works_on_case = case is not None and cases_visible_to(actor).filter(pk=case.pk).exists()
    if case is not None and not is_finance and not works_on_case:
        raise CaseActionRefused(_("You can ask for grants only for cases you work on."))
    if case is not None and case.is_closed:
        raise CaseActionRefused(_("This case is closed: nothing can be added to it."))
    refuse_unless_fits(fund, category=category, case=case, partner=partner)
    try:
        value = amount_in(amount, fund.currency)
    except MoneyError as error:
        raise CaseActionRefused(str(error)) from None
    with transaction.atomic():
        # One request at a time (PostgreSQL): two halves of a split grant asked for at the
        # same moment would otherwise each miss the other in second_officer_needed.
        hold_audit_chain(router.db_for_write(AuditEvent))
        grant = Grant.objects.create(
            fund=fund,
            case=case,
            partner=partner,
            category=category,
            amount=value,
            currency=fund.currency,
            requested_by=actor,
            requested_at=this_hour(),
            needs_second_officer=second_officer_needed(
                fund, amount=value, case=case, partner=partner, requester=actor
            ),
        )
        _save_and_audit(EventType.GRANT_REQUESTED, grant, actor, detail=f"fund #{fund.pk}")
    return grant


def _locked(grant: Grant) -> Grant:
    locked = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("fund", "fund__organisation", "case", "partner")
        .get(pk=grant.pk)
    )
    return checked_grant(locked)


def _check_decider(grant: Grant, actor: User, private_key: bytes | None) -> None:
    organisation = grant.fund.organisation
    require_finance_officer(actor, organisation)
    if grant.state != GrantState.REQUESTED:
        raise CaseActionRefused(_("This grant has already been decided."))
    refuse_requester_alone(grant, actor)
    refuse_unless_finance_key_holder(organisation, actor=actor, private_key=private_key)
    refuse_newer_finance_member(grant, actor)


def _locked_fund(grant: Grant) -> Fund:
    """The grant's fund, its row locked until the transaction ends (PostgreSQL), so that two
    decisions that lower what it has available are taken one after the other, each on the
    balance the other left; checked."""
    fund = Fund.objects.select_for_update().select_related("organisation").get(pk=grant.fund_id)
    grant.fund = checked_fund(fund)
    return fund


def do_approve_grant(
    grant: Grant, *, actor: User, private_key: bytes | None, posted_on: date | None = None
) -> Grant:
    """A finance officer holding the finance team's key approves (another than the requester
    when the grant needs a second officer): the grant is posted to the ledger; refused if the
    officer changed its fund or a threshold since it was asked for, if it no longer fits its
    fund's restriction, or if it would take the fund below zero without an overdraft."""
    with transaction.atomic():
        grant = _locked(grant)
        _check_decider(grant, actor, private_key)
        refuse_decider_who_changed_the_rules(grant, actor)
        fund = _locked_fund(grant)
        refuse_unless_fits(
            fund, category=GrantCategory(grant.category), case=grant.case, partner=grant.partner
        )
        refuse_below_zero(fund, available_after=fund_balance(fund).available - grant.amount)
        grant.state = GrantState.APPROVED
        grant.decided_by = actor
        grant.decided_at = this_hour()
        entry = post_grant_approval(grant, actor=actor, posted_on=posted_on or timezone.localdate())
        _save_and_audit(
            EventType.GRANT_APPROVED, grant, actor, detail=posted_detail([entry.sequence])
        )
    return grant


def do_refuse_grant(grant: Grant, *, actor: User, private_key: bytes | None) -> Grant:
    """A finance officer holding the finance team's key refuses (another than the requester
    when the grant needs a second officer)."""
    with transaction.atomic():
        grant = _locked(grant)
        _check_decider(grant, actor, private_key)
        grant.state = GrantState.REFUSED
        grant.decided_by = actor
        grant.decided_at = this_hour()
        _save_and_audit(EventType.GRANT_REFUSED, grant, actor)
    return grant


def do_cancel_grant(
    grant: Grant,
    *,
    actor: User,
    private_key: bytes | None = None,
    posted_on: date | None = None,
) -> Grant:
    """Cancel a grant: a request, by its requester or a finance officer; an approved grant, by
    a finance officer, whose unpaid part goes back to the fund (a release entry). A finance
    officer cancelling someone else's request, or any approved grant, holds the finance
    team's key."""
    with transaction.atomic():
        grant = _locked(grant)
        organisation = grant.fund.organisation
        is_finance = has_perm_in(actor, Perm.MANAGE_FINANCE, organisation)
        detail = ""
        if grant.state == GrantState.REQUESTED:
            if grant.requested_by_id != actor.pk:
                if not is_finance:
                    raise CaseActionRefused(
                        _("Only its requester or a finance officer can cancel a request.")
                    )
                refuse_unless_finance_key_holder(organisation, actor=actor, private_key=private_key)
        elif grant.state == GrantState.APPROVED:
            require_finance_officer(actor, organisation)
            refuse_unless_finance_key_holder(organisation, actor=actor, private_key=private_key)
            if live_entry(EntryKind.GRANT_APPROVAL, grant=grant) is None:
                raise CaseActionRefused(_("This grant's approval was reversed already."))
            position = grant_position(grant)
            remaining = position.remaining
            if remaining == 0 and position.paid > 0:
                raise CaseActionRefused(
                    _("This grant has been paid in full: there is nothing left to cancel.")
                )
            if remaining > 0:
                entry = post_grant_release(
                    grant, remaining, actor=actor, posted_on=posted_on or timezone.localdate()
                )
                detail = posted_detail([entry.sequence])
        else:
            raise CaseActionRefused(_("Only a requested or approved grant can be cancelled."))
        grant.state = GrantState.CANCELLED
        _save_and_audit(EventType.GRANT_CANCELLED, grant, actor, detail=detail)
    return grant
