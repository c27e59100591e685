"""Assign and unassign a case. Assigning a caseworker wraps the case's compartments and its
requests (each with its thread) to their own key, an interpreter the threads only; unassigning
deletes those wraps. The granter's own key must open
what is granted: nothing is taken from anywhere else."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from safehaven.accounts.models import Membership, Role, User
from safehaven.cases.choices import AssignmentRole, CompartmentKind
from safehaven.cases.compartments import open_casework
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.links import (
    linked_requests,
    listed_requests,
    seal_assignment_marker,
    valid_assignments,
)
from safehaven.cases.models import Case, CaseAssignment
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.keys.exceptions import KeyActionRefused, RecordUnavailable
from safehaven.keys.keyring import UserHolder, open_dek
from safehaven.keys.models import RecordKey, RecordKeyWrap, RecordWrapKind, UserKeyPair
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import wrap_to_reader
from safehaven.keys.shred import checkpoint_after_commit

ROLE_FOR_ASSIGNMENT = {
    AssignmentRole.CASEWORKER: Role.CASEWORKER,
    AssignmentRole.INTERPRETER: Role.INTERPRETER,
}


def assignable_staff(case: Case, role: AssignmentRole) -> QuerySet[User]:
    """Active, unsuspended members of the case's organisation with the role, who have keys and
    have chosen their own password (after a reset, the administrator knows the interim one,
    which unlocks the new key: nothing is wrapped to it until they change it)."""
    members = Membership.objects.filter(
        organisation=case.organisation, role=ROLE_FOR_ASSIGNMENT[role]
    ).values("user_id")
    with_keys = UserKeyPair.objects.values("user_id")
    return User.objects.filter(
        pk__in=members, is_active=True, suspended_at__isnull=True, must_change_password=False
    ).filter(pk__in=with_keys)


def genuine_assignees(case: Case, casework: OpenedRecord, role: AssignmentRole) -> list[User]:
    """The users assigned to ``case`` in ``role`` whose assignment's sealed marker opens with
    ``casework`` (a clear row a database writer inserted or flipped does not count) and who may
    be given a case now (``assignable_staff``): the only users a new key of the case is wrapped
    to."""
    allowed = set(assignable_staff(case, role).values_list("pk", flat=True))
    users: dict[int, User] = {}
    for assignment in valid_assignments(case, casework):
        if assignment.role == role and assignment.user_id in allowed:
            users.setdefault(assignment.user_id, assignment.user)
    return list(users.values())


def case_record_ids(
    case: Case,
    role: AssignmentRole,
    casework: OpenedRecord | None,
    *,
    refuse_old_threads: bool = True,
) -> list[uuid.UUID]:
    """The records an assignment in ``role`` opens: for a caseworker, every compartment but
    payments and
    every request of the case with its thread; for an interpreter, the threads of its requests
    only. Only the people whose sealed link opens with ``casework`` count (``cases.links``);
    ``casework`` None counts every person, for taking wraps away only (unassigning). A
    request made before threads had a key of their own keeps its messages under the
    request's key, with the story: an interpreter cannot be given it (refused, naming the
    requests, unless ``refuse_old_threads`` is False: then it is left out)."""
    requests = listed_requests(case) if casework is None else linked_requests(case, casework)
    if role == AssignmentRole.INTERPRETER:
        old = [request for request in requests if request.thread_record_id is None]
        if old and refuse_old_threads:
            raise CaseActionRefused(
                _(
                    "The messages of %(requests)s are sealed with the whole request, story "
                    "included, because it came before messages had a key of their own: they "
                    "cannot be given to an interpreter alone."
                )
                % {"requests": ", ".join(f"request #{request.pk}" for request in old)}
            )
        return [request.thread_record_id for request in requests if request.thread_record_id]
    # Never the payments compartment: payee details are for finance officers only, even when
    # whoever assigns the case is also one of them and could open it.
    compartments = list(
        case.compartments.exclude(kind=CompartmentKind.PAYMENTS).values_list("record_id", flat=True)
    )
    return compartments + [record_id for request in requests for record_id in request.record_ids]


def grant_records(
    record_ids: list[uuid.UUID], *, to_user: User, granter: User, private_key: bytes
) -> int:
    """Wrap each record the granter can open to ``to_user`` (skipping those they hold already);
    refuses if the granter opens none. Returns how many wraps were added."""
    holder = UserHolder(granter, private_key)
    added = 0
    opened_any = False
    for record_key in RecordKey.objects.filter(record_id__in=record_ids):
        try:
            dek = open_dek(record_key, holder)
        except RecordUnavailable:
            continue
        opened_any = True
        held = RecordKeyWrap.objects.filter(
            record_key=record_key, kind=RecordWrapKind.USER, user=to_user
        )
        if not held.exists():
            wrap_to_reader(record_key, dek, to_user).save()
            added += 1
    if record_ids and not opened_any:
        raise CaseActionRefused(_("Your key cannot open this case, so you cannot share it."))
    return added


def do_assign_case(
    case: Case, *, user: User, role: AssignmentRole, actor: User, private_key: bytes
) -> CaseAssignment:
    """Give ``case`` to ``user`` in ``role``; what that role needs is wrapped to their key."""
    role = AssignmentRole(role)
    if not assignable_staff(case, role).filter(pk=user.pk).exists():
        raise CaseActionRefused(
            _(
                "This person cannot be given the case: they need the role in this "
                "organisation, keys set up, and a password of their own."
            )
        )
    casework = open_casework(case, actor=actor, private_key=private_key)
    with transaction.atomic():
        if CaseAssignment.objects.filter(case=case, user=user, role=role).exists():
            raise CaseActionRefused(_("The case is already assigned to them in this role."))
        assignment = CaseAssignment(case=case, user=user, role=role, assigned_by=actor)
        seal_assignment_marker(assignment, casework)
        assignment.save()
        try:
            grant_records(
                case_record_ids(case, role, casework),
                to_user=user,
                granter=actor,
                private_key=private_key,
            )
        except KeyActionRefused as refusal:
            raise CaseActionRefused(str(refusal)) from None
        record_event(
            EventType.CASE_ASSIGNED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"{role.value} user #{user.pk}",
        )
    return assignment


def do_unassign_case(case: Case, *, user: User, role: AssignmentRole, actor: User) -> None:
    """Take ``case`` back from ``user`` in ``role``: their own wraps of what that role opened
    go (keys they already used cannot be taken back: re-key the case after a hostile
    departure). Wraps another assignment of theirs on the case still needs are kept."""
    role = AssignmentRole(role)
    with transaction.atomic():
        deleted, _detail = CaseAssignment.objects.filter(case=case, user=user, role=role).delete()
        if not deleted:
            raise CaseActionRefused(_("The case is not assigned to them in this role."))
        still_needed: set[uuid.UUID] = set()
        for other in CaseAssignment.objects.filter(case=case, user=user):
            still_needed.update(
                case_record_ids(case, AssignmentRole(other.role), None, refuse_old_threads=False)
            )
        held = case_record_ids(case, role, None, refuse_old_threads=False)
        dropped = [r for r in held if r not in still_needed]
        RecordKeyWrap.objects.filter(
            record_key__record_id__in=dropped, kind=RecordWrapKind.USER, user=user
        ).delete()
        record_event(
            EventType.CASE_UNASSIGNED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"{role.value} user #{user.pk}",
        )
    checkpoint_after_commit()


def do_regrant_case(case: Case, *, user: User, actor: User, private_key: bytes) -> int:
    """Wrap again to ``user`` what each of their assignments on ``case`` opens, after a
    password reset deleted their wraps. The actor's own key must open it (a holder: triage,
    another caseworker). Only assignments whose sealed marker opens count: a row a database
    writer inserted grants nothing. Returns how many wraps were added."""
    casework = open_casework(case, actor=actor, private_key=private_key)
    assignments = [a for a in valid_assignments(case, casework) if a.user_id == user.pk]
    if not assignments:
        raise CaseActionRefused(_("The case is not assigned to them."))
    roles = [AssignmentRole(assignment.role) for assignment in assignments]
    for role in roles:
        if not assignable_staff(case, role).filter(pk=user.pk).exists():
            raise CaseActionRefused(
                _(
                    "This person cannot be given the case again: they need the role in this "
                    "organisation, keys set up, and a password of their own."
                )
            )
    with transaction.atomic():
        added = 0
        for role in roles:
            try:
                added += grant_records(
                    case_record_ids(case, role, casework),
                    to_user=user,
                    granter=actor,
                    private_key=private_key,
                )
            except KeyActionRefused as refusal:
                raise CaseActionRefused(str(refusal)) from None
        if not added:
            raise CaseActionRefused(_("They already hold every key of this case."))
        record_event(
            EventType.CASE_REGRANTED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"{'+'.join(role.value for role in roles)} user #{user.pk}; {added} wraps",
        )
    return added
