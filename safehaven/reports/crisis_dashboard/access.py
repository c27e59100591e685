"""Who reads the crisis dashboard: ``VIEW_REPORTS`` (403 otherwise); an unknown crisis is 404.

Crises themselves are public-law facts (every role reads them on the countries pages); what
the dashboard adds is counts. A case counts for the organisations where the reader holds a
reporting role (not a suspended partner's: ``accounts.access.granting_memberships``)."""

from __future__ import annotations

from django.http import HttpRequest

from safehaven.accounts.access import (
    ROLE_PERMISSIONS,
    Perm,
    get_or_404,
    granting_memberships,
    require_perm,
)
from safehaven.accounts.models import User
from safehaven.countries.models import Crisis


def access_reported_crisis(request: HttpRequest, crisis_id: int) -> Crisis:
    """One crisis for its dashboard: 403 without ``VIEW_REPORTS``, 404 if there is none."""
    require_perm(request, Perm.VIEW_REPORTS)
    return get_or_404(Crisis.objects.prefetch_related("countries", "regions"), crisis_id)


def reported_organisation_ids(user: User) -> list[int]:
    """The organisations whose cases ``user`` may count: those where they hold a role that
    grants ``VIEW_REPORTS``."""
    roles = ROLE_PERMISSIONS[Perm.VIEW_REPORTS]
    memberships = granting_memberships(user).filter(role__in=roles)
    return sorted(set(memberships.values_list("organisation_id", flat=True)))
