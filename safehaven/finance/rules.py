"""The rules every money decision checks: a grant fits its fund's restriction, a fund goes below
zero only if it allows an overdraft, a large grant needs a second finance officer, and what
each person may do. Each raises CaseActionRefused with a message staff can act on."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.access import Perm, has_perm_in
from safehaven.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    TeamKind,
    User,
)
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.finance.choices import GrantCategory, GrantState
from safehaven.finance.exceptions import LedgerTampered
from safehaven.finance.models import Fund, Grant, GrantThreshold
from safehaven.finance.money import plain
from safehaven.finance.tags import fund_intact, grant_intact, threshold_intact
from safehaven.finance.trail import (
    changed_fund_or_thresholds_since,
    event_time,
    is_latest_change,
    threshold_set_by,
)

# Grants to the same case (or partner) asked for within this window count together against
# the threshold, so a large payment split into small grants still needs a second officer; and
# a threshold its requester set within it never lets their own grant through alone.
SPLIT_WINDOW = timedelta(days=30)


def row_tampered() -> LedgerTampered:
    return LedgerTampered(
        _(
            "This record does not match its check: it was changed outside the application. "
            "Nothing is decided on it; tell your administrators."
        )
    )


def checked_fund(fund: Fund) -> Fund:
    """``fund`` if it carries its tag and is as its latest change left it (not a row restored
    from a backup); LedgerTampered otherwise."""
    if not fund_holds(fund):
        raise row_tampered()
    return fund


def checked_grant(grant: Grant) -> Grant:
    if not grant_holds(grant):
        raise row_tampered()
    return grant


def fund_holds(fund: Fund) -> bool:
    """Carries its tag and is as its latest audited change left it (for pages: a warning)."""
    return fund_intact(fund) and is_latest_change(fund)


def grant_holds(grant: Grant) -> bool:
    return grant_intact(grant) and is_latest_change(grant)


def threshold_holds(threshold: GrantThreshold) -> bool:
    return threshold_intact(threshold) and is_latest_change(threshold)


def require_finance_officer(actor: User, organisation: Organisation) -> None:
    if not has_perm_in(actor, Perm.MANAGE_FINANCE, organisation):
        raise CaseActionRefused(_("Only a finance officer of the organisation can do this."))


def require_grant_requester(actor: User, organisation: Organisation) -> None:
    if not has_perm_in(actor, Perm.REQUEST_GRANTS, organisation):
        raise CaseActionRefused(
            _("Only caseworkers, supervisors and finance officers can ask for a grant.")
        )


def refuse_unless_fits(
    fund: Fund, *, category: GrantCategory, case: Case | None, partner: Organisation | None
) -> None:
    """A grant from ``fund`` to ``case`` or ``partner`` (exactly one) for ``category`` must fit
    the fund's restriction: its categories, its crisis (the case's), partners allowed, and the
    fund's own organisation."""
    checked_fund(fund)
    if (case is None) == (partner is None):
        raise CaseActionRefused(_("A grant goes either to a case or to a partner organisation."))
    if fund.allowed_categories and category not in fund.allowed_categories:
        raise CaseActionRefused(
            _("The fund “%(fund)s” does not pay for %(category)s.")
            % {"fund": fund.name, "category": GrantCategory(category).label}
        )
    if partner is not None:
        if partner.kind != OrganisationKind.PARTNER:
            raise CaseActionRefused(_("Only a partner organisation can receive a partner grant."))
        if not fund.allows_partner_grants:
            raise CaseActionRefused(
                _("The fund “%(fund)s” does not fund partner organisations.") % {"fund": fund.name}
            )
        return
    if case is None:  # excluded above; says so to the type checker too
        raise CaseActionRefused(_("A grant goes either to a case or to a partner organisation."))
    if case.organisation_id != fund.organisation_id:
        raise CaseActionRefused(_("The fund belongs to another organisation than the case."))
    if fund.crisis_id is not None and case.crisis_id != fund.crisis_id:
        raise CaseActionRefused(
            _("The fund “%(fund)s” is restricted to a crisis this case is not part of.")
            % {"fund": fund.name}
        )


def refuse_below_zero(fund: Fund, *, available_after: Decimal) -> None:
    """A fund may go below zero only if it allows an overdraft."""
    if available_after < 0 and not checked_fund(fund).allows_overdraft:
        raise CaseActionRefused(
            _(
                "The fund “%(fund)s” does not have enough: %(short)s %(currency)s short, and it "
                "allows no overdraft."
            )
            % {
                "fund": fund.name,
                "short": plain(-available_after, fund.currency),
                "currency": fund.currency,
            }
        )


def second_officer_needed(
    fund: Fund,
    *,
    amount: Decimal,
    case: Case | None,
    partner: Organisation | None,
    requester: User,
) -> bool:
    """Whether a grant of ``amount`` from ``fund`` asked for now by ``requester`` needs a
    finance officer other than its requester. Decided once, when it is asked for, and kept on
    the grant (so raising a threshold later lets no pending grant through): yes when no
    threshold (or none that verifies) is set for the currency, when ``requester`` set that
    threshold within ``SPLIT_WINDOW``, or when the amount with the same case's (or
    partner's) grants asked for within ``SPLIT_WINDOW`` in the currency, requested or approved,
    is above the threshold."""
    threshold = GrantThreshold.objects.filter(
        organisation_id=fund.organisation_id, currency=fund.currency
    ).first()
    if threshold is None or not threshold_holds(threshold):
        return True
    since = timezone.now() - SPLIT_WINDOW
    if threshold_set_by(threshold, requester, since=since):
        return True
    recent = Grant.objects.filter(
        fund__organisation_id=fund.organisation_id,
        currency=fund.currency,
        state__in=(GrantState.REQUESTED, GrantState.APPROVED),
        requested_at__gte=since,
    )
    recent = recent.filter(case=case) if case is not None else recent.filter(partner=partner)
    total = sum((grant.amount for grant in recent), amount)
    return total > threshold.second_approval_above


def refuse_requester_alone(grant: Grant, actor: User) -> None:
    if grant.needs_second_officer and grant.requested_by_id == actor.pk:
        raise CaseActionRefused(
            _(
                "A second finance officer must decide on this grant: you asked for it "
                "yourself, and when it was asked for it was above the organisation's threshold "
                "for its currency (with the same case's or partner's recent grants), or no "
                "threshold was set for it."
            )
        )


def refuse_decider_who_changed_the_rules(grant: Grant, actor: User) -> None:
    """A finance officer who changed the grant's fund or any of the organisation's thresholds
    since the grant was asked for does not approve it: loosening a restriction (or switching
    on an overdraft) for one's own decision, and tightening it again, needs a second officer.
    ``grant.event_sequence`` is its request's event while it is requested (checked by
    ``checked_grant``)."""
    if grant.event_sequence is None or changed_fund_or_thresholds_since(
        actor,
        fund=grant.fund,
        organisation=grant.fund.organisation,
        sequence=grant.event_sequence,
    ):
        raise CaseActionRefused(
            _(
                "You changed this grant's fund or the organisation's grant thresholds after it "
                "was asked for: another finance officer must decide on it."
            )
        )


def refuse_newer_finance_member(grant: Grant, actor: User) -> None:
    """A decider must have been in the organisation's finance team when the grant was asked
    for (as a second administrator must already have been one: ``accounts/approvals``), so a
    finance officer added for the occasion does not decide it."""
    asked_at = event_time(grant.event_sequence)
    member_then = Membership.objects.filter(
        user=actor,
        organisation_id=grant.fund.organisation_id,
        role=Role.FINANCE,
        team__kind=TeamKind.FINANCE,
        created_at__lte=asked_at,
    )
    if asked_at is None or not member_then.exists():
        raise CaseActionRefused(
            _(
                "You joined the finance team after this grant was asked for: a finance officer "
                "who was already in it decides on it."
            )
        )
