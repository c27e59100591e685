"""Re-key a case after a hostile departure: each compartment gets a new data key, its sealed
rows are re-sealed under it, the key is wrapped to those who should still read it, and the old
key is shredded (docs/cases.md, "Re-keying").

The requests of the case are the person's own records (their codename opens them): re-keying
them is not done here.
"""

from __future__ import annotations

import uuid

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.assignment.actions import case_record_ids, genuine_assignees
from safehaven.cases.choices import AssignmentRole, CompartmentKind
from safehaven.cases.compartments import triage_teams
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CaseCompartment
from safehaven.core.audit import record_event
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.keys.exceptions import KeyActionRefused, RecordUnavailable, SealedValueUnavailable
from safehaven.keys.fields import SealedRecordMixin
from safehaven.keys.models import ShreddedRecord, ShredReason
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import Reader, new_record_key, open_record
from safehaven.keys.shred import (
    append_to_shred_list,
    checkpoint_after_commit,
    destroy_record_keys,
    sealed_models,
)


def readers_after_rekey(
    case: Case, compartment: CaseCompartment, casework: OpenedRecord
) -> list[Reader]:
    """Who the new key of ``compartment`` is wrapped to (besides escrow): the organisation's
    triage teams, and each user assigned in a role that opens the compartment, whose
    assignment's sealed marker opens with ``casework`` (the old casework) and who is still
    allowed to be (active, unsuspended, with the role, keys and their own password). Nothing
    is read from the old key's wraps: a wrap row a database writer inserted (another
    organisation's team) must not receive the new key. Users who held the old key for any
    other reason are left out: a holder can grant it again."""
    readers: list[Reader] = list(triage_teams(case))
    users: dict[int, User] = {}
    for role in AssignmentRole:
        try:
            opens = compartment.record_id in case_record_ids(case, role, casework)
        except CaseActionRefused:
            opens = False
        if opens:
            for user in genuine_assignees(case, casework, role):
                users.setdefault(user.pk, user)
    return [*readers, *users.values()]


def _tables() -> set[str]:
    return set(connections[DEFAULT_DB_ALIAS].introspection.table_names())


def _reseal_rows(old: OpenedRecord, new: OpenedRecord) -> tuple[int, int]:
    """Re-seal every sealed row under ``old``'s record id with ``new``, whatever its model
    (casework rows of ``cases`` and of every app that seals into a compartment). Item ids stay,
    so the bindings that name them still hold. A row with a value that does not open under
    the old key (a database writer's junk, or a row moved from elsewhere) was unreadable
    already: it is not re-sealed but left under the old record id, so the shred of the old
    key blanks its sealed values (the row itself stays: deleting it could take rows that
    depend on it along). Returns (rows moved, rows left unreadable)."""
    moved = dropped = 0
    tables = _tables()
    for model in sealed_models():
        names = model.sealed_field_names()
        if not names or model._meta.db_table not in tables:
            continue
        rows: list[SealedRecordMixin] = list(
            model._default_manager.select_for_update().filter(record_id=old.record_id)
        )
        for row in rows:
            try:
                row.open_with(old)
                values = {name: row.sealed_bytes(name) for name in names}
            except (SealError, SealedValueUnavailable):
                dropped += 1
                continue
            row.record_id = new.record_id
            row.open_with(new)
            for name, value in values.items():
                row.seal(name, value)
            row.save(update_fields=["record_id", *names])
            moved += 1
    return moved, dropped


def _shred_old_key(record_id: uuid.UUID) -> int:
    wraps, _blanked = destroy_record_keys(record_id)
    ShreddedRecord.objects.create(record_id=record_id, reason=ShredReason.REKEYED)
    transaction.on_commit(lambda: append_to_shred_list(record_id))
    return wraps


def do_rekey_case(case: Case, *, actor: User, private_key: bytes) -> None:
    """Give each compartment of ``case`` a new key and shred the old one, in one transaction.

    The actor's key must open every compartment (nothing is taken from escrow). Keys a
    departed person copied open nothing afterwards: no row is sealed under them any more."""
    # The payments compartment is finance's (its readers are the finance team and escrow,
    # never a caseworker): re-keying a case after a caseworker leaves does not touch it.
    compartments = list(case.compartments.exclude(kind=CompartmentKind.PAYMENTS).order_by("pk"))
    if not compartments:
        raise CaseActionRefused(_("This case has nothing sealed of its own to re-key."))
    opened_old: dict[int, OpenedRecord] = {}
    for compartment in compartments:
        try:
            opened_old[compartment.pk] = open_record(
                compartment.record_id, user=actor, private_key=private_key
            )
        except RecordUnavailable:
            raise CaseActionRefused(
                _("Your key cannot open every part of this case, so you cannot re-key it.")
            ) from None
    casework_kind = CompartmentKind.CASEWORK
    casework = next((opened_old[c.pk] for c in compartments if c.kind == casework_kind), None)
    if casework is None:
        raise CaseActionRefused(_("This case has nothing sealed of its own to re-key."))
    moved = dropped = wraps = 0
    try:
        with transaction.atomic():
            Case.objects.select_for_update().filter(pk=case.pk).first()
            rekeyed = list(
                CaseCompartment.objects.filter(case=case)
                .exclude(kind=CompartmentKind.PAYMENTS)
                .order_by("pk")
            )
            # Every compartment's readers are read before any row moves: they come from the
            # casework's sealed links and assignments, which stop opening with the old
            # casework key once the casework compartment is re-sealed.
            readers_of = {c.pk: readers_after_rekey(case, c, casework) for c in rekeyed}
            for compartment in rekeyed:
                old = opened_old.get(compartment.pk)
                if old is None or old.record_id != compartment.record_id:
                    raise CaseActionRefused(
                        _("The case changed while it was being re-keyed: try again.")
                    )
                new = new_record_key(uuid.uuid4(), readers=readers_of[compartment.pk])
                row_counts = _reseal_rows(old, new)
                moved += row_counts[0]
                dropped += row_counts[1]
                compartment.record_id = new.record_id
                compartment.save(update_fields=["record_id"])
                wraps += _shred_old_key(old.record_id)
            record_event(
                EventType.CASE_REKEYED,
                actor=actor,
                organisation=case.organisation,
                target=case,
                detail=f"{len(compartments)} compartments, {moved} rows re-sealed, "
                f"{dropped} unreadable rows blanked, {wraps} old wraps shredded",
            )
            checkpoint_after_commit()
    except KeyActionRefused as refusal:
        raise CaseActionRefused(str(refusal)) from None
