"""The sealed links of a case: which people (requests) and which assignments are really its own.

``CasePerson.help_request`` and ``CaseAssignment`` rows are in clear, so a database writer can
insert or re-point one. Each carries a value sealed under the case's casework key, bound to the
case id and the request id (``CasePerson.link``) or the case id, the user id and the role
(``CaseAssignment.marker``). Whatever grants keys, changes a request's status or sends the
person a message follows only the rows whose seal opens with the opened casework; the others
(forged, or made before the seals existed) count as not there (docs/cases.md, "Sealed links").
"""

from __future__ import annotations

from safehaven.cases.choices import CompartmentKind
from safehaven.cases.models import Case, CaseAssignment, CasePerson
from safehaven.core.crypto import SealError
from safehaven.intake.models import HelpRequest
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord

LINKED = "linked"


def seal_person_link(person: CasePerson, casework: OpenedRecord) -> None:
    """Seal ``person``'s link to its case and request (before saving it)."""
    person.open_with(casework).seal("link", LINKED)


def seal_assignment_marker(assignment: CaseAssignment, casework: OpenedRecord) -> None:
    """Put ``assignment`` under the casework key and seal its marker (before saving it)."""
    assignment.record_id = casework.record_id
    assignment.open_with(casework).seal("marker", LINKED)


def _opens(row: CasePerson | CaseAssignment, name: str, casework: OpenedRecord) -> bool:
    try:
        return row.open_with(casework).sealed(name) == LINKED
    except (SealError, SealedValueUnavailable):
        return False


def _refuse_other_record(case: Case, casework: OpenedRecord) -> None:
    if casework.record_id != case.compartment_record_id(CompartmentKind.CASEWORK):
        raise SealedValueUnavailable("The key given is not this case's casework.")


def person_is_linked(person: CasePerson, casework: OpenedRecord) -> bool:
    """True if ``person``'s sealed link opens with ``casework`` (the case's own casework)."""
    return _opens(person, "link", casework)


def linked_people(case: Case, casework: OpenedRecord) -> list[CasePerson]:
    """The people of ``case`` whose link opens with ``casework`` (the case's own casework)."""
    _refuse_other_record(case, casework)
    people = case.people.select_related("help_request")
    return [person for person in people if _opens(person, "link", casework)]


def listed_requests(case: Case) -> list[HelpRequest]:
    """Every request the case's clear rows name, oldest first, unchecked: only for what a link
    row written into the database cannot turn into a gain (taking wraps away; reading with keys
    that decide for themselves what opens)."""
    people = case.people.filter(help_request__isnull=False).select_related("help_request")
    return [person.help_request for person in people.order_by("pk") if person.help_request]


def linked_requests(case: Case, casework: OpenedRecord) -> list[HelpRequest]:
    """The requests of ``case``'s people whose link opens with ``casework``."""
    return [
        person.help_request
        for person in linked_people(case, casework)
        if person.help_request is not None
    ]


def assignment_is_valid(assignment: CaseAssignment, casework: OpenedRecord) -> bool:
    """True if ``assignment``'s marker opens with ``casework``."""
    return _opens(assignment, "marker", casework)


def valid_assignments(case: Case, casework: OpenedRecord) -> list[CaseAssignment]:
    """The assignments of ``case`` whose marker opens with ``casework`` (its own casework)."""
    _refuse_other_record(case, casework)
    rows = CaseAssignment.objects.filter(case=case).select_related("user").order_by("pk")
    return [assignment for assignment in rows if _opens(assignment, "marker", casework)]
