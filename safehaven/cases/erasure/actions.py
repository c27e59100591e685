"""Erasing a closed case for good: crypto-shredding everything sealed of it.

What goes: the keys of the case's compartments (casework, travel, payments) and of its
requests and their threads (``keys.actions.records.do_shred_record``, through intake's
``do_shred_help_request`` for the requests): every wrap and record key is deleted and every
sealed value under them, in every app's tables, blanked. With the keys gone, what is sealed
under them in any app (travel, finance's payees, advocacy's namings) opens for nobody, escrow
included. The clear rows of this app that exist only to carry sealed data go too: tasks, notes,
contact attempts, support sessions, evidence, verification checks and approvals, and the
assignments (who worked on the case).

What stays: the ``Case`` row with month-level clear facts (country, state, outcome, months,
risk band, crisis): ``state_changed_at`` becomes the first of its month, ``languages`` is
emptied, ``arrived_in`` and ``referred_by`` cleared (with the months they would make a record
of one person's journey kept for ever) and ``risk_score`` zeroed (only the band stays);
its people (the household's size and the links to the erased requests, every sealed value
blanked) and its moves (states and outcome, their reasons blanked; the hour of each becomes the
first of its month). Rows others protect (finance's grants and ledger) are never touched:
the ledger keeps its amounts, the payee is unreadable. Reports keep their own ``CaseFigures``
row (written by retention before it calls this).

How a shredded case is told (``case_is_shredded``, ``cases_with_keys_left``): no record key
is left of its records (its compartments, its assignments' markers, its requests and their
threads), whatever ``keys.ShreddedRecord`` lists. The listing is only the memory that lets
``reapply_shreds`` destroy keys a restore brought back: a database writer who lists a case's
record ids there must not exempt it from erasure, so ``do_shred_case`` destroys the keys of
ids already listed too (``do_reapply_shred``). Re-keying lists the *old* ids (``rekeyed``)
and gives the compartments new ones, whose keys are there: a re-keyed case is not shredded.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.choices import CaseState
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import (
    Case,
    CaseAssignment,
    CaseCompartment,
    CaseNote,
    CaseTask,
    CaseTransition,
    ContactAttempt,
    EvidenceFile,
    SupportSession,
    VerificationApproval,
    VerificationItem,
)
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.intake.erasure.actions import do_shred_help_request
from safehaven.intake.models import HelpRequest
from safehaven.keys.actions.records import do_reapply_shred, do_shred_record
from safehaven.keys.models import RecordKey, ShreddedRecord, ShredReason

# Rows of this app that only carry sealed data (and exact days): deleted with the keys.
# Nothing protects them; the moves and the people stay (see the module's docstring).
CARRIERS_OF_SEALED_DATA = (
    CaseTask,
    CaseNote,
    ContactAttempt,
    SupportSession,
    EvidenceFile,
    VerificationItem,
    VerificationApproval,
    CaseAssignment,
)


def month_start(moment: datetime.datetime) -> datetime.datetime:
    """The first instant (UTC) of the month ``moment`` falls in."""
    utc = moment.astimezone(datetime.UTC)
    return utc.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def case_record_ids(case: Case) -> set[uuid.UUID]:
    """Every record sealed for the case itself: its compartments and its assignments'
    markers (under casework, so normally the same id)."""
    record_ids = set(case.compartments.values_list("record_id", flat=True))
    record_ids |= {
        record_id
        for record_id in CaseAssignment.objects.filter(case=case).values_list(
            "record_id", flat=True
        )
        if record_id is not None
    }
    return record_ids


CHUNK = 500


def _request_record_ids(case_ids: Sequence[int]) -> dict[uuid.UUID, int]:
    """Each record of the cases' requests (their own and their threads'), to its case."""
    owners: dict[uuid.UUID, int] = {}
    requests = HelpRequest.objects.filter(case_person__case_id__in=case_ids)
    for case_id, record_id, thread_id in requests.values_list(
        "case_person__case_id", "record_id", "thread_record_id"
    ):
        owners[record_id] = case_id
        if thread_id is not None:
            owners[thread_id] = case_id
    return owners


def _case_record_owners(case_ids: Sequence[int]) -> dict[uuid.UUID, int]:
    """Every record of the cases (compartments, assignments' markers, requests), to its case."""
    owners = _request_record_ids(case_ids)
    compartments = CaseCompartment.objects.filter(case_id__in=case_ids)
    for case_id, record_id in compartments.values_list("case_id", "record_id"):
        owners[record_id] = case_id
    assignments = CaseAssignment.objects.filter(case_id__in=case_ids, record_id__isnull=False)
    for case_id, marker_id in assignments.values_list("case_id", "record_id"):
        if marker_id is not None:
            owners[marker_id] = case_id
    return owners


def cases_with_keys_left(case_ids: Iterable[int]) -> set[int]:
    """Of ``case_ids``, those with a record key of any of their records still there (not
    erased, or erased only in part): the key layer says it, not the shred list."""
    ids = sorted(set(case_ids))
    left: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        owners = _case_record_owners(ids[start : start + CHUNK])
        records = list(owners)
        for first in range(0, len(records), CHUNK):
            keyed = RecordKey.objects.filter(record_id__in=records[first : first + CHUNK])
            left |= {owners[record_id] for record_id in keyed.values_list("record_id", flat=True)}
    return left


def case_is_shredded(case: Case) -> bool:
    """True once no key of the case's records is left (a case without any compartment has
    nothing to shred, and does not count as shredded)."""
    if not case.compartments.exists():
        return False
    return case.pk not in cases_with_keys_left([case.pk])


def do_shred_case(case: Case, *, actor: User | None) -> None:
    """Crypto-shred everything sealed of a closed case, keep its month-level clear facts, and
    record one ``CASE_SHREDDED`` event (ids and counts only). Raises CaseActionRefused for a
    case that is not closed or was already shredded (no key of it left)."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().filter(pk=case.pk).first()
        if locked is None:
            raise CaseActionRefused(_("This case no longer exists."))
        if locked.state != CaseState.CLOSED:
            raise CaseActionRefused(_("Only a closed case can be erased."))
        if case_is_shredded(locked):
            raise CaseActionRefused(_("This case was already erased."))
        record_ids = case_record_ids(locked)
        already = set(
            ShreddedRecord.objects.filter(record_id__in=record_ids).values_list(
                "record_id", flat=True
            )
        )
        to_shred = sorted(record_ids - already, key=str)
        for record_id in to_shred:
            do_shred_record(record_id, actor=actor, reason=ShredReason.RETENTION)
        # Listed already but maybe still keyed (a database writer's listing, or a restore):
        # their keys go too, each audited when there was something left.
        reapplied = sum(
            do_reapply_shred(record_id, actor=actor) for record_id in sorted(already, key=str)
        )
        requests = list(
            HelpRequest.objects.select_for_update().filter(case_person__case=locked).order_by("pk")
        )
        shredded_requests = 0
        for help_request in requests:
            listed = ShreddedRecord.objects.filter(record_id__in=help_request.record_ids)
            if help_request.shredded_at is None and not listed.exists():
                do_shred_help_request(help_request, actor=actor, reason=ShredReason.RETENTION)
                shredded_requests += 1
                continue
            # Marked erased, or some of its records listed, in the database: whatever is
            # left of its keys goes.
            for record_id in help_request.record_ids:
                reapplied += do_reapply_shred(record_id, actor=actor)
        deleted = sum(
            model._default_manager.filter(case=locked).delete()[0]
            for model in CARRIERS_OF_SEALED_DATA
        )
        _coarsen_moves(locked)
        locked.languages = []
        locked.risk_score = 0
        locked.arrived_in = ""
        locked.referred_by = None
        locked.state_changed_at = month_start(locked.state_changed_at)
        locked.save(
            update_fields=[
                "languages",
                "risk_score",
                "arrived_in",
                "referred_by",
                "state_changed_at",
            ]
        )
        record_event(
            EventType.CASE_SHREDDED,
            actor=actor,
            organisation=locked.organisation,
            target=locked,
            detail=(
                f"{len(to_shred)} records, {shredded_requests} requests shredded; "
                f"{reapplied} listed records shredded again; {deleted} rows deleted"
            ),
        )
    case.refresh_from_db()


def _coarsen_moves(case: Case) -> None:
    """Each move keeps its states and outcome, and only the month it happened (its reason,
    whose seal bound the hour, is blank now)."""
    for transition in CaseTransition.objects.filter(case=case).only("pk", "at"):
        coarse = month_start(transition.at)
        if coarse != transition.at:
            CaseTransition.objects.filter(pk=transition.pk).update(at=coarse)
