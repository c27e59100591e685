"""Who may be on call, who is on call now and in which order, read from clear columns only
(the rota names staff, never a person helped)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from safehaven.accounts.access import ROLE_PERMISSIONS, Perm, has_perm_in
from safehaven.accounts.models import Membership, Organisation, Role, User
from safehaven.keys.models import UserKeyPair
from safehaven.travel.models import OnCallShift

# Staff who may be on call and read the rota: the roles that open cases, whose work already
# shows them case numbers (an alert names its case's number), and administrators, whose audit
# log names every case an event is about (``ALERT_RAISED`` among them). Never finance or
# advocacy (docs/advocacy.md: the advocacy role never sees a case's id), an interpreter (given
# the messages of a few cases only) or a partner organisation's member.
ON_CALL_ROLES = frozenset({Role.TRIAGE, Role.CASEWORKER, Role.SUPERVISOR, Role.ADMIN})
SHOWN = 200


def reachable_users() -> QuerySet[User]:
    """Users who may be told of an alert and acknowledge one: active, not suspended, and whose
    key pair no duress login suspended (their phone may be in a coercer's hands, and their
    sessions cannot acknowledge: an alert must go straight to the next person)."""
    under_duress = UserKeyPair.objects.filter(suspended_at__isnull=False).values("user_id")
    return User.objects.filter(is_active=True, suspended_at__isnull=True).exclude(
        pk__in=under_duress
    )


def is_reachable(user: User) -> bool:
    """See :func:`reachable_users`: nobody else is told of an alert or may acknowledge one."""
    return (
        user.is_active
        and user.suspended_at is None
        and not UserKeyPair.objects.filter(user=user, suspended_at__isnull=False).exists()
    )


def members_in_role(organisation_id: int, role: Role) -> QuerySet[Membership, int]:
    """The ids of the users holding ``role`` in organisation ``organisation_id`` (a subquery)."""
    return Membership.objects.filter(organisation_id=organisation_id, role=role).values_list(
        "user_id", flat=True
    )


def eligible_members(organisation: Organisation) -> QuerySet[User]:
    """Reachable members of ``organisation`` with a role that may be on call."""
    return eligible_in(Organisation.objects.filter(pk=organisation.pk))


def eligible_in(organisations: QuerySet[Organisation]) -> QuerySet[User]:
    """Reachable members of any of ``organisations`` who may be on call there."""
    members = Membership.objects.filter(organisation__in=organisations, role__in=ON_CALL_ROLES)
    return reachable_users().filter(pk__in=members.values("user_id")).order_by("username")


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
    eligible member (suspended, under duress, left, or in a role that is never on call)."""
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
