"""Access helpers for staff pages: the only way views fetch objects and check roles.

Outsiders get 404 (they must not learn that an object exists); a member with the wrong role
gets 403.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from safehaven.accounts.models import Invite, Membership, Organisation, Role, Team, User


class Perm(StrEnum):
    MANAGE_STAFF = "manage_staff"
    VIEW_AUDIT = "view_audit"
    TRIAGE_REQUESTS = "triage_requests"


ROLE_PERMISSIONS: dict[Perm, frozenset[Role]] = {
    Perm.MANAGE_STAFF: frozenset({Role.ADMIN}),
    Perm.VIEW_AUDIT: frozenset({Role.ADMIN}),
    Perm.TRIAGE_REQUESTS: frozenset({Role.TRIAGE, Role.SUPERVISOR}),
}


def roles_of(user: User) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_safehaven_roles", None)
    if cached is None:
        cached = frozenset(Membership.objects.filter(user=user).values_list("role", flat=True))
        user._safehaven_roles = cached  # type: ignore[attr-defined]
    return cached


def has_role(user: User, *roles: Role) -> bool:
    return bool(roles_of(user) & {role.value for role in roles})


def has_perm(user: User, need: Perm) -> bool:
    return has_role(user, *ROLE_PERMISSIONS[need])


def require_role(request: HttpRequest, *roles: Role) -> User:
    """The logged-in user, if they hold one of ``roles``; otherwise 403."""
    user = request.user
    if not isinstance(user, User) or not has_role(user, *roles):
        raise PermissionDenied
    return user


def require_perm(request: HttpRequest, need: Perm) -> User:
    return require_role(request, *ROLE_PERMISSIONS[need])


def _get_or_404[M: Model](queryset: QuerySet[M], pk: int) -> M:
    try:
        return queryset.get(pk=pk)
    except (ValueError, TypeError, ObjectDoesNotExist) as error:
        raise Http404 from error


def current_user(request: HttpRequest) -> User:
    """The logged-in user. The login-required middleware guarantees one; anything else is a
    wiring error and is refused rather than trusted."""
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied
    return user


def access_user(request: HttpRequest, user_id: int, need: Perm = Perm.MANAGE_STAFF) -> User:
    require_perm(request, need)
    return _get_or_404(User.objects.all(), user_id)


def access_organisation(
    request: HttpRequest, organisation_id: int, need: Perm = Perm.MANAGE_STAFF
) -> Organisation:
    require_perm(request, need)
    return _get_or_404(Organisation.objects.all(), organisation_id)


def access_team(request: HttpRequest, team_id: int, need: Perm = Perm.MANAGE_STAFF) -> Team:
    require_perm(request, need)
    return _get_or_404(Team.objects.select_related("organisation"), team_id)


def access_membership(
    request: HttpRequest, membership_id: int, need: Perm = Perm.MANAGE_STAFF
) -> Membership:
    require_perm(request, need)
    return _get_or_404(Membership.objects.select_related("user", "organisation"), membership_id)


def access_invite(request: HttpRequest, invite_id: int, need: Perm = Perm.MANAGE_STAFF) -> Invite:
    require_perm(request, need)
    return _get_or_404(Invite.objects.all(), invite_id)
