"""Access helpers for finance pages: the only way views fetch finance rows.

Finance officers (``Perm.MANAGE_FINANCE``) see the funds, grants, payments and entries of the
organisations where they hold the role; anyone else gets 403, a row of another organisation
404, and a duress session nothing. A caseworker asks for grants through the case
(``cases.access.access_case(request, case_id, need=Perm.REQUEST_GRANTS)``) and sees a case's
totals only (``ledger.costs.case_costs``), never donors or payees.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from safehaven.accounts.access import ROLE_PERMISSIONS, Perm, get_or_404, require_perm
from safehaven.accounts.models import Membership, Organisation, User
from safehaven.finance.models import Disbursement, Donation, Fund, Grant, JournalEntry
from safehaven.keys.login_key import is_duress_session


def finance_organisations(user: User, need: Perm = Perm.MANAGE_FINANCE) -> QuerySet[Organisation]:
    """The organisations where ``user`` holds a role that gives ``need``."""
    held = Membership.objects.filter(user=user, role__in=ROLE_PERMISSIONS[need])
    return Organisation.objects.filter(pk__in=held.values("organisation_id"))


def _scoped(request: HttpRequest, need: Perm) -> QuerySet[Organisation]:
    user = require_perm(request, need)
    if is_duress_session(request):
        raise Http404
    return finance_organisations(user, need)


def funds_for(request: HttpRequest, need: Perm = Perm.MANAGE_FINANCE) -> QuerySet[Fund]:
    """The funds a list page shows: finance officers', or (``REQUEST_GRANTS``) those a
    grant may be asked from."""
    user = require_perm(request, need)
    if is_duress_session(request):
        return Fund.objects.none()
    return Fund.objects.filter(organisation__in=finance_organisations(user, need))


def access_fund(request: HttpRequest, fund_id: int, need: Perm = Perm.MANAGE_FINANCE) -> Fund:
    organisations = _scoped(request, need)
    return get_or_404(
        Fund.objects.filter(organisation__in=organisations).select_related("organisation"), fund_id
    )


def access_donation(request: HttpRequest, donation_id: int) -> Donation:
    organisations = _scoped(request, Perm.MANAGE_FINANCE)
    return get_or_404(
        Donation.objects.filter(fund__organisation__in=organisations).select_related(
            "fund", "fund__organisation"
        ),
        donation_id,
    )


def access_grant(request: HttpRequest, grant_id: int) -> Grant:
    organisations = _scoped(request, Perm.MANAGE_FINANCE)
    return get_or_404(
        Grant.objects.filter(fund__organisation__in=organisations).select_related(
            "fund", "fund__organisation", "case", "partner"
        ),
        grant_id,
    )


def access_disbursement(request: HttpRequest, disbursement_id: int) -> Disbursement:
    organisations = _scoped(request, Perm.MANAGE_FINANCE)
    return get_or_404(
        Disbursement.objects.filter(grant__fund__organisation__in=organisations).select_related(
            "grant", "grant__fund", "grant__fund__organisation", "grant__case"
        ),
        disbursement_id,
    )


def access_entry(request: HttpRequest, entry_id: int) -> JournalEntry:
    organisations = _scoped(request, Perm.MANAGE_FINANCE)
    return get_or_404(
        JournalEntry.objects.filter(organisation__in=organisations).select_related(
            "fund", "fund__organisation"
        ),
        entry_id,
    )
