"""The rules every money decision checks: a grant fits its fund's restriction, a fund goes below
zero only if it allows an overdraft, a large grant needs a second finance officer, and what
each person may do. Each raises CaseActionRefused with a message staff can act on."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from safehaven.accounts.access import Perm, has_perm_in
from safehaven.accounts.models import Organisation, OrganisationKind, User
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.finance.choices import GrantCategory
from safehaven.finance.exceptions import LedgerTampered
from safehaven.finance.models import Fund, Grant, GrantThreshold
from safehaven.finance.money import plain
from safehaven.finance.tags import fund_intact, grant_intact, threshold_intact


def row_tampered() -> LedgerTampered:
    return LedgerTampered(
        _(
            "This record does not match its check: it was changed outside the application. "
            "Nothing is decided on it; tell your administrators."
        )
    )


def checked_fund(fund: Fund) -> Fund:
    if not fund_intact(fund):
        raise row_tampered()
    return fund


def checked_grant(grant: Grant) -> Grant:
    if not grant_intact(grant):
        raise row_tampered()
    return grant


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


def needs_second_officer(grant: Grant) -> bool:
    """Whether ``grant`` needs a finance officer other than its requester: above the
    organisation's threshold in the grant's currency, or always when no threshold (or none
    that verifies) is set for that currency."""
    threshold = GrantThreshold.objects.filter(
        organisation_id=grant.fund.organisation_id, currency=grant.currency
    ).first()
    if threshold is None or not threshold_intact(threshold):
        return True
    return grant.amount > threshold.second_approval_above
