"""Who may be on call, who is on call now and in which order, read from clear columns only
(the rota names staff, never a person helped)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from safehaven.accounts.access import ROLE_PERMISSIONS, Perm, has_perm_in
from safehaven.accounts.models import Membership, Organisation, Role, User
from safehaven.travel.models import OnCallShift

# Staff who may be on call and read the rota: every staff role but an interpreter (given the
# messages of a few cases only) and a partner organisation's member.
ON_CALL_ROLES = frozenset(
    {Role.TRIAGE, Role.CASEWORKER, Role.SUPERVISOR, Role.FINANCE, Role.ADVOCACY, Role.ADMIN}
)
SHOWN = 200


def is_reachable(user: User) -> bool:
    """Active and not suspended: nobody else is told of an alert or may acknowledge one."""
    return user.is_active and user.suspended_at is None


def eligible_members(organisation: Organisation) -> QuerySet[User]:
    """Active, unsuspended members of ``organisation`` with a role that may be on call."""
    return eligible_in(Organisation.objects.filter(pk=organisation.pk))


def eligible_in(organisations: QuerySet[Organisation]) -> QuerySet[User]:
    """Active, unsuspended members of any of ``organisations`` who may be on call there."""
    members = Membership.objects.filter(organisation__in=organisations, role__in=ON_CALL_ROLES)
    return User.objects.filter(
        pk__in=members.values("user_id"), is_active=True, suspended_at__isnull=True
    ).order_by("username")


def staff_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations whose rota ``user`` may read (a role there that may be on call)."""
    member_of = Membership.objects.filter(user=user, role__in=ON_CALL_ROLES)
    return Organisation.objects.filter(pk__in=member_of.values("organisation_id"))


def rota_kept_by(user: User) -> QuerySet[Organisation]:
    """The organisations whose rota ``user`` keeps (``Perm.MANAGE_ON_CALL`` held there)."""
    keeps = Membership.objects.filter(user=user, role__in=ROLE_PERMISSIONS[Perm.MANAGE_ON_CALL])
    return Organisation.objects.filter(pk__in=keeps.values("organisation_id"))


def shifts_covering(now: datetime.datetime) -> QuerySet[OnCallShift]:
    return OnCallShift.objects.filter(starts_at__lte=now, ends_at__gt=now)


def on_call_now(organisation: Organisation, now: datetime.datetime) -> list[User]:
    """Who is on call for ``organisation`` at ``now``, first called first: by position, then
    the earlier shift; each person once, at their first place; never someone no longer an
    eligible member (suspended, left, or only a partner or interpreter there)."""
    shifts = (
        shifts_covering(now)
        .filter(organisation=organisation, user__in=eligible_members(organisation))
        .select_related("user")
        .order_by("position", "starts_at", "pk")
    )
    people: dict[int, User] = {}
    for shift in shifts:
        people.setdefault(shift.user_id, shift.user)
    return list(people.values())


def organisations_on_call(user: User, now: datetime.datetime) -> QuerySet[Organisation]:
    """The organisations for which ``user`` is on call at ``now`` (while still an eligible
    member there)."""
    if not is_reachable(user):
        return Organisation.objects.none()
    shifts = shifts_covering(now).filter(user=user, organisation__in=staff_organisations(user))
    return Organisation.objects.filter(pk__in=shifts.values("organisation_id"))


@dataclass(frozen=True)
class Rota:
    organisation: Organisation
    on_call: list[User]
    shifts: list[OnCallShift]
    can_manage: bool


def rotas_for(user: User, now: datetime.datetime) -> list[Rota]:
    """For each organisation whose rota ``user`` may read: who is on call now, in order, and
    the shifts not over yet."""
    rotas = []
    for organisation in staff_organisations(user).order_by("name"):
        shifts = (
            OnCallShift.objects.filter(organisation=organisation, ends_at__gt=now)
            .select_related("user")
            .order_by("starts_at", "position", "pk")
        )
        rotas.append(
            Rota(
                organisation=organisation,
                on_call=on_call_now(organisation, now),
                shifts=list(shifts[:SHOWN]),
                can_manage=has_perm_in(user, Perm.MANAGE_ON_CALL, organisation),
            )
        )
    return rotas
