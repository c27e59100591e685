"""Which organisation an administrator keeps goals and historical totals for, and the one way
the views fetch a historical total (404 for another organisation's or an unknown one)."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from safehaven.accounts.access import ROLE_PERMISSIONS, Perm, get_or_404, require_perm
from safehaven.accounts.models import Membership, Organisation, OrganisationKind, User
from safehaven.reports.models import HistoricalTotal


def managed_organisations(user: User) -> list[Organisation]:
    """The relocating organisations where ``user`` holds a role that manages reports."""
    held = Membership.objects.filter(user=user, role__in=ROLE_PERMISSIONS[Perm.MANAGE_REPORTS])
    return list(
        Organisation.objects.filter(
            pk__in=held.values("organisation_id"), kind=OrganisationKind.RELOCATING
        ).order_by("name", "pk")
    )


def reporting_organisation(request: HttpRequest) -> tuple[User, Organisation]:
    """The administrator (403 for any other role) and the relocating organisation whose
    reports they keep: the first by name where they hold the role (an administrator of no
    relocating organisation has none: 404)."""
    user = require_perm(request, Perm.MANAGE_REPORTS)
    organisations = managed_organisations(user)
    if not organisations:
        raise Http404
    return user, organisations[0]


def access_historical_total(request: HttpRequest, total_id: int) -> HistoricalTotal:
    """A total of the administrator's organisation that is still counted."""
    _user, organisation = reporting_organisation(request)
    totals = HistoricalTotal.objects.filter(organisation=organisation, removed_at__isnull=True)
    return get_or_404(totals, total_id)
