"""Who can open what of a case, and why: read from the wraps of its records' keys, for the case
page's panel. The only thing opened is the case's casework, with the viewer's own key, to tell
the people and assignments that are really the case's (their seals open, ``cases.links``) from
rows a database writer inserted; without it, nothing is offered to grant."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from safehaven.accounts.models import Team, User
from safehaven.cases.assignment.actions import case_record_ids
from safehaven.cases.choices import AssignmentRole
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.links import assignment_is_valid, linked_people, valid_assignments
from safehaven.cases.models import Case, CaseAssignment
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind, TeamKeyWrap
from safehaven.keys.opened import OpenedRecord


def person_name(user: User) -> str:
    return user.get_full_name() or user.username


@dataclass
class Holder:
    """One reader of one record: a team (with the members who hold its key), a user, escrow
    or the person's codename, and why they hold it."""

    kind: str
    name: str
    why: str
    members: list[str] = field(default_factory=list)
    suspended: bool = False


@dataclass
class RecordHolders:
    label: str
    record_id: uuid.UUID
    holders: list[Holder]


@dataclass
class Unkeyed:
    """An assigned user who holds no wrap of something their assignment opens."""

    user: User
    roles: list[str]
    missing: int
    waiting_for_password: bool = False


def case_records(case: Case, casework: OpenedRecord | None) -> list[tuple[str, uuid.UUID]]:
    """Each compartment of the case, then each request (and its message thread, when it has
    a key of its own) whose link opens with ``casework`` (every request without it), with a
    label."""
    records: list[tuple[str, uuid.UUID]] = [
        (
            _("%(kind)s compartment") % {"kind": compartment.get_kind_display()},
            compartment.record_id,
        )
        for compartment in case.compartments.order_by("pk")
    ]
    people = (
        case.people.select_related("help_request")
        if casework is None
        else linked_people(case, casework)
    )
    for person in people:
        request = person.help_request
        if request is None:
            continue
        records.append((_("Request #%(number)s") % {"number": request.pk}, request.record_id))
        thread_id = getattr(request, "thread_record_id", None)
        if thread_id is not None:
            records.append(
                (_("Messages of request #%(number)s") % {"number": request.pk}, thread_id)
            )
    return records


def _team_members(teams: set[int]) -> dict[int, list[str]]:
    """The users holding a usable wrap of each team's active key."""
    members: dict[int, list[str]] = defaultdict(list)
    wraps = (
        TeamKeyWrap.objects.filter(
            team_key__team_id__in=teams,
            team_key__active=True,
            user__isnull=False,
            suspended=False,
        )
        .select_related("user", "team_key")
        .order_by("user__username")
    )
    for wrap in wraps:
        if wrap.user is not None:
            members[wrap.team_key.team_id].append(person_name(wrap.user))
    return members


Opens = dict[AssignmentRole, set[uuid.UUID]]


def _opens_by_role(case: Case, casework: OpenedRecord | None) -> Opens:
    """What an assignment in each role opens (nothing for a role that cannot be given yet)."""
    opens: Opens = {}
    for role in AssignmentRole:
        try:
            opens[role] = set(case_record_ids(case, role, casework))
        except CaseActionRefused:
            opens[role] = set()
    return opens


def _why_user(
    user_id: int, record_id: uuid.UUID, assigned: dict[int, list[AssignmentRole]], opens: Opens
) -> str:
    for role in assigned.get(user_id, []):
        if record_id in opens[role]:
            if role == AssignmentRole.INTERPRETER:
                return _("assigned as interpreter")
            return _("assigned as caseworker")
    return _("shared with them by a holder")


def _assigned(case: Case, casework: OpenedRecord | None) -> dict[int, list[AssignmentRole]]:
    """The roles of each assigned user: only assignments whose marker opens with
    ``casework`` (none without it)."""
    assigned: dict[int, list[AssignmentRole]] = defaultdict(list)
    if casework is None:
        return assigned
    for assignment in valid_assignments(case, casework):
        assigned[assignment.user_id].append(AssignmentRole(assignment.role))
    return assigned


@dataclass
class Assignee:
    """One assignment of the case, as the panel lists it (with an unassign button)."""

    assignment: CaseAssignment
    name: str
    forged: bool


def case_assignees(case: Case, casework: OpenedRecord | None) -> list[Assignee]:
    """Every assignment row of the case; those whose marker does not open with ``casework``
    are marked forged (all of them are when the viewer cannot open casework: unchecked)."""
    rows = CaseAssignment.objects.filter(case=case).select_related("user").order_by("pk")
    return [
        Assignee(
            row,
            person_name(row.user),
            casework is None or not assignment_is_valid(row, casework),
        )
        for row in rows
    ]


def record_holders(case: Case, casework: OpenedRecord | None = None) -> list[RecordHolders]:
    """For each record of the case, who holds a wrap of its key and why."""
    records = case_records(case, casework)
    wraps = list(
        RecordKeyWrap.objects.filter(record_key__record_id__in=[rid for _l, rid in records])
        .select_related("record_key", "user", "team__organisation")
        .order_by("kind", "pk")
    )
    team_ids = {wrap.team_id for wrap in wraps if wrap.team_id is not None}
    members = _team_members(team_ids)
    assigned = _assigned(case, casework)
    opens = _opens_by_role(case, casework)
    by_record: dict[uuid.UUID, list[Holder]] = defaultdict(list)
    for wrap in wraps:
        record_id = wrap.record_key.record_id
        by_record[record_id].append(_holder(wrap, record_id, members, assigned, opens))
    return [RecordHolders(label, rid, by_record.get(rid, [])) for label, rid in records]


def _holder(
    wrap: RecordKeyWrap,
    record_id: uuid.UUID,
    members: dict[int, list[str]],
    assigned: dict[int, list[AssignmentRole]],
    opens: Opens,
) -> Holder:
    if wrap.kind == RecordWrapKind.TEAM and wrap.team is not None:
        team: Team = wrap.team
        return Holder(
            kind=wrap.kind,
            name=f"{team.name} ({team.organisation.name})",
            why=_("team"),
            members=members.get(team.pk, []),
            suspended=wrap.suspended,
        )
    if wrap.kind == RecordWrapKind.USER and wrap.user is not None:
        return Holder(
            kind=wrap.kind,
            name=person_name(wrap.user),
            why=_why_user(wrap.user.pk, record_id, assigned, opens),
            suspended=wrap.suspended,
        )
    if wrap.kind == RecordWrapKind.ESCROW:
        return Holder(kind=wrap.kind, name=_("Escrow"), why=_("two administrators together"))
    return Holder(kind=wrap.kind, name=_("The person"), why=_("with their codename"))


def unkeyed_assignees(case: Case, casework: OpenedRecord | None) -> list[Unkeyed]:
    """Assigned users (whose assignment's marker opens with ``casework``) missing a wrap of
    something their assignment opens (after a password reset, for instance): a holder can
    grant the case to them again, once they have chosen their own new password."""
    assigned = _assigned(case, casework)
    if not assigned:
        return []
    held: dict[int, set[uuid.UUID]] = defaultdict(set)
    for user_id, record_id in RecordKeyWrap.objects.filter(
        kind=RecordWrapKind.USER, user_id__in=assigned, suspended=False
    ).values_list("user_id", "record_key__record_id"):
        held[user_id].add(record_id)
    opens = _opens_by_role(case, casework)
    users = User.objects.in_bulk(list(assigned))
    result = []
    for user_id, roles in assigned.items():
        needed: set[uuid.UUID] = set()
        for role in roles:
            needed.update(opens[role])
        missing = needed - held[user_id]
        if missing and user_id in users:
            user = users[user_id]
            labels = [str(role.label) for role in roles]
            result.append(Unkeyed(user, labels, len(missing), user.must_change_password))
    return sorted(result, key=lambda item: item.user.username)
