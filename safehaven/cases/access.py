"""Access helpers for cases: the only way staff views fetch one.

Triage and supervisors (``MANAGE_CASES``) see every case of the organisations where they hold
that role (elsewhere, like a caseworker, only what is assigned to them);
a caseworker sees only the cases assigned to them, an interpreter only the cases they are given
and only with ``READ_CASE_MESSAGES``. The wrong role gets 403; a case outside the user's scope
gets 404, as if it did not exist; in a duress session there is nothing at all. What a user can
*open* is decided by the keys (a wrap to them or their team), not by this scope: the scope only
decides what they may ask for.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from safehaven.accounts.access import (
    ROLE_PERMISSIONS,
    Perm,
    get_or_404,
    has_perm,
    require_perm,
)
from safehaven.accounts.models import Membership, User
from safehaven.cases.choices import AssignmentRole
from safehaven.cases.models import Case
from safehaven.keys.login_key import is_duress_session

CASE_MANAGER_ROLES = ROLE_PERMISSIONS[Perm.MANAGE_CASES]


def cases_visible_to(user: User, need: Perm = Perm.OPEN_CASES) -> QuerySet[Case]:
    """Every case ``user`` may ask for with ``need``, by role."""
    roles = [AssignmentRole.CASEWORKER]
    if need == Perm.READ_CASE_MESSAGES:
        roles.append(AssignmentRole.INTERPRETER)
    assigned = Case.objects.filter(assignments__user=user, assignments__role__in=roles)
    if has_perm(user, Perm.MANAGE_CASES):
        # Only where they manage cases: a caseworker membership elsewhere gives that
        # organisation's cases only as assigned, like any caseworker's, and never to manage.
        managed = Membership.objects.filter(user=user, role__in=CASE_MANAGER_ROLES)
        in_managed = Q(organisation_id__in=managed.values("organisation_id"))
        if need == Perm.MANAGE_CASES:
            return Case.objects.filter(in_managed)
        return Case.objects.filter(in_managed | Q(pk__in=assigned.values("pk")))
    return Case.objects.filter(pk__in=assigned.values("pk"))


def visible_cases(request: HttpRequest, need: Perm = Perm.OPEN_CASES) -> QuerySet[Case]:
    """The cases a list page shows: 403 without ``need``, none in a duress session."""
    user = require_perm(request, need)
    if is_duress_session(request):
        return Case.objects.none()
    return cases_visible_to(user, need)


def access_case(request: HttpRequest, case_id: int, need: Perm = Perm.OPEN_CASES) -> Case:
    """One case the user may act on with ``need``: 403 for the wrong role, 404 for a case
    outside their scope (or any case in a duress session)."""
    user = require_perm(request, need)
    if is_duress_session(request):
        raise Http404
    return get_or_404(cases_visible_to(user, need).select_related("organisation"), case_id)
