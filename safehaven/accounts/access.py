"""Access helpers for staff pages: the only way views fetch objects and check roles.

Outsiders get 404 (they must not learn that an object exists); a member with the wrong role
gets 403.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from safehaven.accounts.models import Invite, Membership, Organisation, Role, Team, User


class Perm(StrEnum):
    MANAGE_STAFF = "manage_staff"
    VIEW_AUDIT = "view_audit"
    # Every help request: the inbox, status changes, replies to the person.
    TRIAGE_REQUESTS = "triage_requests"
    # A partner organisation's own referrals only.
    VIEW_REFERRALS = "view_referrals"
    # The help requests a key holder shared with the user (their own key or their team's).
    VIEW_SHARED_REQUESTS = "view_shared_requests"
    # Open one help request: triage sees all, a partner its own referrals, a caseworker those
    # shared with them (the helper scopes).
    READ_REQUESTS = "read_requests"
    # Open a case: triage and supervisors every case of their organisation, a caseworker the
    # cases assigned to them (cases.access scopes).
    OPEN_CASES = "open_cases"
    # The case queue: accept requests into cases, open cases after a call, assign, decline.
    MANAGE_CASES = "manage_cases"
    # Approve a verification someone else asked for (from the approver's own session).
    APPROVE_VERIFICATION = "approve_verification"
    # The messages of a case: its case roles, and an interpreter given that case.
    READ_CASE_MESSAGES = "read_case_messages"
    # Allow a saved route through a country that criminalises the person (travel), with a
    # reason, from the supervisor's own session.
    OVERRIDE_ROUTES = "override_routes"
    # Keep the on-call rota of journey alerts (travel).
    MANAGE_ON_CALL = "manage_on_call"
    # Emergency-visa and protection requests to governments (advocacy): counts, never
    # identities.
    ADVOCATE = "advocate"
    # Funds, donations, grant decisions, disbursements, the ledger (finance); donor names and
    # payee details are opened with the finance team's key, which only finance officers hold.
    MANAGE_FINANCE = "manage_finance"
    # Ask for a grant to a case (finance decides); the case itself through cases.access.
    REQUEST_GRANTS = "request_grants"
    # Vet and suspend partner organisations (partners).
    MANAGE_PARTNERS = "manage_partners"
    # Reports: the dashboard, the crisis dashboard and exports of aggregate figures (counts,
    # never identities).
    VIEW_REPORTS = "view_reports"
    # Yearly goals, historical totals, reporting settings and retention rules (reports).
    MANAGE_REPORTS = "manage_reports"


ROLE_PERMISSIONS: dict[Perm, frozenset[Role]] = {
    Perm.MANAGE_STAFF: frozenset({Role.ADMIN}),
    Perm.VIEW_AUDIT: frozenset({Role.ADMIN}),
    Perm.TRIAGE_REQUESTS: frozenset({Role.TRIAGE, Role.SUPERVISOR}),
    Perm.VIEW_REFERRALS: frozenset({Role.PARTNER}),
    Perm.VIEW_SHARED_REQUESTS: frozenset({Role.CASEWORKER}),
    Perm.READ_REQUESTS: frozenset({Role.TRIAGE, Role.SUPERVISOR, Role.PARTNER, Role.CASEWORKER}),
    Perm.OPEN_CASES: frozenset({Role.TRIAGE, Role.SUPERVISOR, Role.CASEWORKER}),
    Perm.MANAGE_CASES: frozenset({Role.TRIAGE, Role.SUPERVISOR}),
    Perm.APPROVE_VERIFICATION: frozenset({Role.SUPERVISOR}),
    Perm.READ_CASE_MESSAGES: frozenset(
        {Role.TRIAGE, Role.SUPERVISOR, Role.CASEWORKER, Role.INTERPRETER}
    ),
    Perm.OVERRIDE_ROUTES: frozenset({Role.SUPERVISOR}),
    Perm.MANAGE_ON_CALL: frozenset({Role.SUPERVISOR, Role.ADMIN}),
    Perm.ADVOCATE: frozenset({Role.ADVOCACY}),
    Perm.MANAGE_FINANCE: frozenset({Role.FINANCE}),
    Perm.REQUEST_GRANTS: frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.FINANCE}),
    Perm.MANAGE_PARTNERS: frozenset({Role.ADMIN}),
    Perm.VIEW_REPORTS: frozenset({Role.ADMIN, Role.SUPERVISOR, Role.TRIAGE, Role.ADVOCACY}),
    Perm.MANAGE_REPORTS: frozenset({Role.ADMIN}),
}


# A suspended partner organisation's memberships grant nothing (partners/vetting). Its status
# is named as text: accounts sits below partners and cannot import its choices.
IN_SUSPENDED_PARTNER = Q(organisation__partner_vetting__status="suspended")


def granting_memberships(user: User) -> QuerySet[Membership]:
    """``user``'s memberships that grant anything: all but those of a suspended partner."""
    return Membership.objects.filter(user=user).exclude(IN_SUSPENDED_PARTNER)


def roles_of(user: User) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    # Kept on the user object, which lives for one request: a suspension committed since the
    # request began counts from the next one (the suspension ends the sessions anyway).
    cached: frozenset[str] | None = getattr(user, "_safehaven_roles", None)
    if cached is None:
        cached = frozenset(granting_memberships(user).values_list("role", flat=True))
        user._safehaven_roles = cached  # type: ignore[attr-defined]
    return cached


def has_role(user: User, *roles: Role) -> bool:
    return bool(roles_of(user) & {role.value for role in roles})


def has_perm(user: User, need: Perm) -> bool:
    return has_role(user, *ROLE_PERMISSIONS[need])


def has_perm_in(user: User, need: Perm, organisation: Organisation) -> bool:
    """``need`` through a role held in ``organisation`` itself. ``has_perm`` accepts a role
    held in any organisation: a decision about one organisation's case (a verification, a
    route's override) must come from someone who holds the role there."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        granting_memberships(user)
        .filter(organisation=organisation, role__in=ROLE_PERMISSIONS[need])
        .exists()
    )


def require_role(request: HttpRequest, *roles: Role) -> User:
    """The logged-in user, if they hold one of ``roles``; otherwise 403."""
    user = request.user
    if not isinstance(user, User) or not has_role(user, *roles):
        raise PermissionDenied
    return user


def require_perm(request: HttpRequest, need: Perm) -> User:
    return require_role(request, *ROLE_PERMISSIONS[need])


def get_or_404[M: Model](queryset: QuerySet[M], pk: int) -> M:
    """One row of ``queryset`` (already scoped to what the user may see), or 404."""
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
    return get_or_404(User.objects.all(), user_id)


def access_organisation(
    request: HttpRequest, organisation_id: int, need: Perm = Perm.MANAGE_STAFF
) -> Organisation:
    require_perm(request, need)
    return get_or_404(Organisation.objects.all(), organisation_id)


def access_team(request: HttpRequest, team_id: int, need: Perm = Perm.MANAGE_STAFF) -> Team:
    require_perm(request, need)
    return get_or_404(Team.objects.select_related("organisation"), team_id)


def access_membership(
    request: HttpRequest, membership_id: int, need: Perm = Perm.MANAGE_STAFF
) -> Membership:
    require_perm(request, need)
    return get_or_404(Membership.objects.select_related("user", "organisation"), membership_id)


def access_invite(request: HttpRequest, invite_id: int, need: Perm = Perm.MANAGE_STAFF) -> Invite:
    require_perm(request, need)
    return get_or_404(Invite.objects.all(), invite_id)


def access_own_team(request: HttpRequest, team_id: int) -> Team:
    """A team the logged-in user belongs to; any other team is 404 to them."""
    user = current_user(request)
    return get_or_404(Team.objects.filter(memberships__user=user).distinct(), team_id)
