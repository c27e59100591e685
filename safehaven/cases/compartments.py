"""A case's compartments: making their keys when the case opens, wrapping and unwrapping them
as people are assigned, and opening one for a viewer.

Who holds what (SECURITY.md, "Keys"; docs/cases.md): the casework compartment is wrapped to
escrow, to the triage team of the organisation (which opens cases and assigns them, and can
grant them again after a password reset) and to each assigned caseworker. Travel and payments
are made by the apps that fill them. Making a compartment is part of the action that opens the
case: its audit event covers it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.utils.translation import gettext as _

from safehaven.accounts.models import Team, TeamKind, User
from safehaven.cases.choices import CompartmentKind
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CaseCompartment
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import Reader, new_record_key, open_record


def triage_teams(case: Case) -> list[Team]:
    """The triage team(s) of the case's organisation: they hold every case's casework."""
    return list(Team.objects.filter(organisation=case.organisation, kind=TeamKind.TRIAGE))


def make_compartment(
    case: Case, kind: CompartmentKind, readers: Iterable[Reader]
) -> tuple[CaseCompartment, OpenedRecord]:
    """A new compartment of ``case``, its key wrapped to ``readers`` and escrow (inside the
    action that needs it)."""
    compartment = CaseCompartment.objects.create(case=case, kind=kind, record_id=uuid.uuid4())
    opened = new_record_key(compartment.record_id, readers=readers)
    return compartment, opened


def open_casework(case: Case, *, actor: User, private_key: bytes) -> OpenedRecord:
    """The case's casework opened with the actor's own key, or CaseActionRefused: every action
    that reads or adds casework starts here."""
    opened = open_compartment(case, CompartmentKind.CASEWORK, user=actor, private_key=private_key)
    if opened is None:
        raise CaseActionRefused(_("Your key cannot open this case's casework."))
    return opened


def refuse_if_closed(case: Case) -> None:
    """Nothing is added to a closed case."""
    if case.is_closed:
        raise CaseActionRefused(_("This case is closed: nothing can be added to it."))


def open_compartment(
    case: Case, kind: CompartmentKind, *, user: User, private_key: bytes
) -> OpenedRecord | None:
    """The compartment opened with ``user``'s key, or None if it does not exist or they hold no
    wrap of it (their own or a team's)."""
    record_id = case.compartment_record_id(kind)
    if record_id is None:
        return None
    try:
        return open_record(record_id, user=user, private_key=private_key)
    except RecordUnavailable:
        return None
