"""Carrying the absorbed case's casework into the kept case: each row opened with the absorbed
case's casework key and sealed again under the kept case's, its clear ``case`` pointed at the
kept case. Item ids stay, so the bindings that name them still hold; the people's links are
sealed again for the kept case (their binding names the case).

A row whose seal does not open (a database writer's junk, a row moved in from elsewhere, a
person whose link does not open) was unreadable already: it is not carried, and nothing
follows it (no key is granted, no status changed for its request). It stays with the absorbed
case and is counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.utils.translation import gettext as _

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.links import person_is_linked, seal_person_link
from safehaven.cases.models import (
    Case,
    CaseAssignment,
    CaseNote,
    CasePerson,
    CaseTask,
    CaseTransition,
    ContactAttempt,
    EvidenceFile,
    SupportSession,
    VerificationApproval,
    VerificationItem,
)
from safehaven.core.crypto import SealError
from safehaven.intake.models import HelpRequest
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.fields import SealedRecordMixin
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.shred import sealed_models

# Casework rows carried into the kept case (people are carried first, by their links).
CARRIED: tuple[type[SealedRecordMixin], ...] = (
    CaseTask,
    VerificationItem,
    EvidenceFile,
    CaseNote,
    ContactAttempt,
    SupportSession,
)
# Rows that stay as the absorbed case's own history, under its casework key: its moves (and
# the close that the merge adds), who was assigned to it, and the decisions on its
# verification (a merge never makes the kept case verified: that is decided on the kept case).
HISTORY: tuple[type[SealedRecordMixin], ...] = (
    CaseTransition,
    CaseAssignment,
    VerificationApproval,
)


@dataclass
class Carried:
    """What moved: the people (with their requests) and how many other rows; rows left behind
    because their seal did not open."""

    people: list[CasePerson] = field(default_factory=list)
    rows: int = 0
    unreadable: int = 0

    @property
    def requests(self) -> list[HelpRequest]:
        return [person.help_request for person in self.people if person.help_request is not None]


def opened_values(row: SealedRecordMixin, opened: OpenedRecord) -> dict[str, bytes | None] | None:
    """Every sealed value of ``row`` opened with ``opened``, or None if one does not open."""
    try:
        row.open_with(opened)
        return {name: row.sealed_bytes(name) for name in type(row).sealed_field_names()}
    except (SealError, SealedValueUnavailable):
        return None


def _reseal(row: SealedRecordMixin, values: dict[str, bytes | None], new: OpenedRecord) -> None:
    row.record_id = new.record_id
    row.open_with(new)
    for name, value in values.items():
        row.seal(name, value)


def _carry_people(absorbed: Case, kept: Case, old: OpenedRecord, new: OpenedRecord) -> Carried:
    carried = Carried()
    people = CasePerson.objects.select_for_update(of=("self",)).filter(
        case=absorbed, record_id=old.record_id
    )
    for person in people.select_related("help_request").order_by("pk"):
        values = opened_values(person, old) if person_is_linked(person, old) else None
        if values is None:
            carried.unreadable += 1
            continue
        values.pop("link")
        person.case = kept
        person.is_primary = False
        _reseal(person, values, new)
        seal_person_link(person, new)
        person.save(update_fields=["case", "is_primary", "record_id", *values, "link"])
        carried.people.append(person)
    return carried


def carry_casework(absorbed: Case, kept: Case, old: OpenedRecord, new: OpenedRecord) -> Carried:
    """Move the absorbed case's people and casework rows into the kept case, re-sealed from
    ``old`` (the absorbed case's casework) to ``new`` (the kept case's). Inside the merge's
    transaction."""
    carried = _carry_people(absorbed, kept, old, new)
    # Every carried model has ``case`` (the type checker knows only the mixin they share).
    of_absorbed = {"case": absorbed, "record_id": old.record_id}
    for model in CARRIED:
        rows = model._default_manager.select_for_update().filter(**of_absorbed)
        for row in rows.order_by("pk"):
            values = opened_values(row, old)
            if values is None:
                carried.unreadable += 1
                continue
            row.case = kept  # type: ignore[attr-defined]
            _reseal(row, values, new)
            changed = ["case", "record_id", *values]
            row.save(update_fields=changed)
            carried.rows += 1
    return carried


def _tables() -> set[str]:
    return set(connections[DEFAULT_DB_ALIAS].introspection.table_names())


def refuse_rows_left_behind(absorbed: Case, old: OpenedRecord) -> None:
    """Refuse the merge if a row of any other model (a higher app's, sealed under the absorbed
    case's casework) still opens there: the merge would leave it behind without anyone having
    said it may. Junk that does not open is not data, and does not stop a merge."""
    handled: set[type[Model]] = {CasePerson, *CARRIED, *HISTORY}
    tables = _tables()
    kinds: set[str] = set()
    for model in sealed_models():
        if model in handled or not model.sealed_field_names():
            continue
        if model._meta.db_table not in tables:
            continue
        for row in model._default_manager.filter(record_id=old.record_id):
            if opened_values(row, old) is not None:
                kinds.add(str(model._meta.verbose_name_plural))
                break
    if kinds:
        raise CaseActionRefused(
            _(
                "Case #%(case)s holds records a merge cannot carry over (%(kinds)s): keep that "
                "case and merge the other into it."
            )
            % {"case": absorbed.pk, "kinds": ", ".join(sorted(kinds))}
        )
