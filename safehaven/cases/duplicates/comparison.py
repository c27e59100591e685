"""Two possible duplicates side by side, opened with the viewer's own key: each case's people
(a request's details and the name a partner gave, or what was typed after a call). Opening
both is the step that confirms a hint: the decisions are offered, and accepted, only when the
viewer's key opens both cases' casework and every request still held in them.

Each case read is audited as on the case page (``CASE_VIEWED``) and each request opened as on
the request page (``REQUEST_VIEWED``, ``do_open_help_request``); the check a decision makes
before acting (``key_opens_both``) opens keys without reading any sealed value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from safehaven.accounts.models import User
from safehaven.cases.choices import CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.duplicates.queries import KIND_LABELS, are_marked_distinct, shared_hint_kinds
from safehaven.cases.keyholders.holders import Holder, record_holders
from safehaven.cases.links import linked_people, person_is_linked
from safehaven.cases.models import Case, CasePerson
from safehaven.core.audit import record_event
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.intake.handling.actions import do_open_help_request
from safehaven.intake.submission.sealing import read_details
from safehaven.intake.thread.display import DetailsView, details_view
from safehaven.keys.exceptions import RecordUnavailable, SealedValueUnavailable
from safehaven.keys.models import RecordWrapKind
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record

CALL_FIELDS = ("summary", "region", "citizenships", "contacts")


@dataclass(frozen=True, repr=False)
class PersonSide:
    """One person of a case as the viewer's key opens them."""

    person: CasePerson
    opened: bool = False
    erased: bool = False
    # Its sealed link to the case does not open: a row written outside the application, shown
    # as such and never opened (a merge does not carry it either).
    forged: bool = False
    details: DetailsView | None = None
    known_as: str = ""
    call_details: dict[str, str] | None = None

    def __repr__(self) -> str:
        return f"PersonSide({self.person.item_id})"


@dataclass(repr=False)
class CaseSide:
    """One case of the pair: its clear facts, what opened, and who holds its casework."""

    case: Case
    casework_opens: bool
    people: list[PersonSide]
    holders: list[Holder] = field(default_factory=list)

    @property
    def opened(self) -> bool:
        return self.casework_opens and all(p.opened or p.erased or p.forged for p in self.people)

    def __repr__(self) -> str:
        return f"CaseSide(case #{self.case.pk})"


@dataclass(repr=False)
class Comparison:
    sides: list[CaseSide]
    kinds: tuple[str, ...]
    marked_distinct: bool

    @property
    def kind_labels(self) -> list[object]:
        return [KIND_LABELS[kind] for kind in self.kinds]

    @property
    def both_opened(self) -> bool:
        return all(side.opened for side in self.sides)

    def __repr__(self) -> str:
        return "Comparison(...)"


def _open_person(
    person: CasePerson, user: User, key: bytes, casework: OpenedRecord | None
) -> PersonSide:
    if casework is not None and not person_is_linked(person, casework):
        return PersonSide(person, forged=True)
    request = person.help_request
    if request is None:
        if casework is None:
            return PersonSide(person)
        try:
            person.open_with(casework)
            details = {name: person.sealed(name) or "" for name in CALL_FIELDS}
        except (SealError, SealedValueUnavailable):
            return PersonSide(person)
        return PersonSide(person, opened=True, call_details=details)
    if request.is_shredded:
        return PersonSide(person, erased=True)
    try:
        do_open_help_request(request, actor=user, private_key=key, mark_read=False)
    except RecordUnavailable:
        return PersonSide(person)
    return PersonSide(
        person,
        opened=True,
        details=details_view(request, read_details(request)),
        known_as=request.sealed("known_as") or "",
    )


def casework_holders(case: Case) -> list[Holder]:
    """The teams (with their members) and staff holding the case's casework key: whom to ask
    when the viewer's key does not open it. Never escrow nor the person."""
    record_id = case.compartment_record_id(CompartmentKind.CASEWORK)
    for record in record_holders(case):
        if record.record_id == record_id:
            return [
                holder
                for holder in record.holders
                if holder.kind in {RecordWrapKind.TEAM, RecordWrapKind.USER}
                and not holder.suspended
            ]
    return []


def _side(case: Case, user: User, key: bytes | None) -> CaseSide:
    people = list(case.people.select_related("help_request"))
    if key is None:
        return CaseSide(case, False, [PersonSide(p) for p in people], casework_holders(case))
    casework = open_compartment(case, CompartmentKind.CASEWORK, user=user, private_key=key)
    side = CaseSide(
        case, casework is not None, [_open_person(p, user, key, casework) for p in people]
    )
    if not side.opened:
        side.holders = casework_holders(case)
    return side


def compare_cases(case: Case, other: Case, *, user: User, private_key: bytes | None) -> Comparison:
    """Open both cases for ``user`` (audited as reads of each case)."""
    with transaction.atomic():
        for row in (case, other):
            record_event(
                EventType.CASE_VIEWED, actor=user, organisation=row.organisation, target=row
            )
    return Comparison(
        sides=[_side(case, user, private_key), _side(other, user, private_key)],
        kinds=shared_hint_kinds(case, other),
        marked_distinct=are_marked_distinct(case, other),
    )


def _key_opens(case: Case, user: User, key: bytes) -> bool:
    casework = open_compartment(case, CompartmentKind.CASEWORK, user=user, private_key=key)
    if casework is None:
        return False
    for person in linked_people(case, casework):
        request = person.help_request
        if request is None or request.is_shredded:
            continue
        try:
            open_record(request.record_id, user=user, private_key=key)
        except RecordUnavailable:
            return False
    return True


def key_opens_both(case: Case, other: Case, *, user: User, private_key: bytes) -> bool:
    """True when ``user``'s key opens both cases as the comparison page shows them: the
    decisions need nothing less."""
    return _key_opens(case, user, private_key) and _key_opens(other, user, private_key)
