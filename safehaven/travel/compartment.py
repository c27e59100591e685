"""The case's travel compartment: routes, bookings and travel documents, sealed apart from the
rest of the casework (SECURITY.md, "Keys": a route is the most dangerous thing to leak).

It is made the first time something travel-related is saved, wrapped to escrow, the
organisation's triage team(s) (which hold every case and whose supervisors allow routes) and
the case's assigned caseworkers; assigning a caseworker later wraps it to them with every other
compartment (``cases.assignment``). Interpreters never hold it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.assignment.actions import genuine_assignees
from safehaven.cases.choices import AssignmentRole, CompartmentKind
from safehaven.cases.compartments import (
    make_compartment,
    open_casework,
    open_compartment,
    triage_teams,
)
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import Reader


def travel_readers(case: Case, casework: OpenedRecord) -> list[Reader]:
    """The triage team(s) and the case's genuinely assigned caseworkers who may hold a case
    now (``genuine_assignees``): never an interpreter, a suspended member or a clear row a
    database writer inserted."""
    return [*triage_teams(case), *genuine_assignees(case, casework, AssignmentRole.CASEWORKER)]


def open_travel(case: Case, *, actor: User, private_key: bytes) -> OpenedRecord | None:
    """The travel compartment opened with the actor's key; None if it does not exist yet or
    the actor holds no wrap of it."""
    return open_compartment(case, CompartmentKind.TRAVEL, user=actor, private_key=private_key)


def open_or_make_travel(case: Case, *, actor: User, private_key: bytes) -> OpenedRecord:
    """The travel compartment, made now if the case has none (call inside the action's
    transaction, with the case row locked so two first saves make one compartment: its audit
    event covers the making). Raises CaseActionRefused if it exists and
    the actor's key cannot open it, or if it must be made and their key cannot open the
    casework (which says who is genuinely assigned)."""
    if case.compartment_record_id(CompartmentKind.TRAVEL) is None:
        casework = open_casework(case, actor=actor, private_key=private_key)
        readers = travel_readers(case, casework)
        _compartment, opened = make_compartment(case, CompartmentKind.TRAVEL, readers)
        return opened
    existing = open_travel(case, actor=actor, private_key=private_key)
    if existing is None:
        raise CaseActionRefused(_("Your key cannot open this case's travel records."))
    return existing
