"""Merge two cases found to be the same person (or household): the absorbed case's people and
casework go into the kept case, re-sealed under its casework key; higher apps move what they
hold (``merging.listeners``: finance moves grants); the absorbed case closes as merged and
points at the kept one (docs/cases.md, "Merging").

Like joining a household, a merge wraps nothing to any codename: each person keeps their own
request and their own thread, which they open with their own codename. Only people whose
sealed link opens are carried and followed (``cases.links``).
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.assignment.actions import case_record_ids, genuine_assignees, grant_records
from safehaven.cases.choices import (
    ApprovalDecision,
    AssignmentRole,
    CaseOutcome,
    CaseState,
    CompartmentKind,
)
from safehaven.cases.compartments import open_compartment
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.links import linked_people, valid_assignments
from safehaven.cases.merging.listeners import merge_listeners
from safehaven.cases.merging.moving import Carried, carry_casework, refuse_rows_left_behind
from safehaven.cases.models import Case, CaseAssignment, CaseTransition, VerificationApproval
from safehaven.cases.workflow.actions import PERSON_STATUS
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.intake.models import HelpRequest
from safehaven.keys.exceptions import KeyActionRefused, RecordUnavailable
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record


def refuse_unless_mergeable(kept: Case, absorbed: Case) -> None:
    """Two different open cases of the same organisation, the absorbed one without travel
    records (a merge does not move routes, bookings or travel documents)."""
    if kept.pk == absorbed.pk:
        raise CaseActionRefused(_("A case cannot be merged into itself."))
    if kept.organisation_id != absorbed.organisation_id:
        raise CaseActionRefused(_("Only cases of the same organisation can be merged."))
    for case in (kept, absorbed):
        if case.is_closed:
            raise CaseActionRefused(
                _("Case #%(case)s is closed: only open cases can be merged.") % {"case": case.pk}
            )
    if absorbed.compartment_record_id(CompartmentKind.TRAVEL) is not None:
        raise CaseActionRefused(
            _(
                "Case #%(case)s has travel records (routes, bookings or documents), which a "
                "merge cannot move: keep that case and merge the other into it."
            )
            % {"case": absorbed.pk}
        )
    if VerificationApproval.objects.filter(
        case=absorbed, decision=ApprovalDecision.PENDING
    ).exists():
        raise CaseActionRefused(
            _("Case #%(case)s has a verification waiting for a supervisor: have it decided first.")
            % {"case": absorbed.pk}
        )


def _open_casework_of(case: Case, actor: User, private_key: bytes) -> OpenedRecord:
    opened = open_compartment(case, CompartmentKind.CASEWORK, user=actor, private_key=private_key)
    if opened is None:
        raise CaseActionRefused(
            _("Your key cannot open the casework of case #%(case)s, so you cannot merge it.")
            % {"case": case.pk}
        )
    return opened


def _refuse_unless_opens_requests(
    absorbed: Case, casework: OpenedRecord, actor: User, private_key: bytes
) -> None:
    """The actor wraps the moved requests to the kept case's people: their key must open each
    request and its thread."""
    for person in linked_people(absorbed, casework):
        help_request = person.help_request
        # An erased request has no key left to open or to give: nothing of it moves but the row.
        if help_request is None or help_request.is_shredded:
            continue
        for record_id in help_request.record_ids:
            try:
                open_record(record_id, user=actor, private_key=private_key)
            except RecordUnavailable:
                raise CaseActionRefused(
                    _(
                        "Your key cannot open request #%(request)s of case #%(case)s, so you "
                        "cannot merge it."
                    )
                    % {"request": help_request.pk, "case": absorbed.pk}
                ) from None


def _locked_pair(kept: Case, absorbed: Case) -> tuple[Case, Case]:
    """Both rows locked, the lower id first (two merges of the same pair never deadlock)."""
    rows = {
        case.pk: case
        for case in Case.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk__in=[kept.pk, absorbed.pk])
        .order_by("pk")
    }
    return rows[kept.pk], rows[absorbed.pk]


def _refuse_changed(case: Case, opened: OpenedRecord) -> None:
    if case.compartment_record_id(CompartmentKind.CASEWORK) != opened.record_id:
        raise CaseActionRefused(_("The cases changed while they were being merged: try again."))


def _follow_kept_case(kept: Case, absorbed: Case, requests: list[HelpRequest]) -> None:
    """The moved requests show the kept case's status; the kept case takes the higher score,
    the earlier month and every language of the two."""
    status = PERSON_STATUS[CaseState(kept.state)]
    HelpRequest.objects.filter(
        pk__in=[request.pk for request in requests],
        withdrawn_at__isnull=True,
        shredded_at__isnull=True,
    ).exclude(status=status).update(status=status)
    if absorbed.risk_score > kept.risk_score:
        kept.risk_score, kept.risk_band = absorbed.risk_score, absorbed.risk_band
    kept.received_month = min(kept.received_month, absorbed.received_month)
    added = [code for code in absorbed.languages if code not in kept.languages]
    kept.languages = [*kept.languages, *added]
    kept.save(update_fields=["risk_score", "risk_band", "received_month", "languages"])


def _wrap_to_kept_assignees(
    kept: Case, casework: OpenedRecord, requests: list[HelpRequest], actor: User, key: bytes
) -> int:
    """What each genuine assignee of the kept case needs of the moved requests, wrapped to
    them with the actor's key: caseworkers the requests and threads, interpreters the threads
    (a request made before threads had a key of their own is left out for an interpreter)."""
    requests = [request for request in requests if not request.is_shredded]
    added = 0
    for role in AssignmentRole:
        if role == AssignmentRole.CASEWORKER:
            records = [record_id for request in requests for record_id in request.record_ids]
        else:
            records = [r.thread_record_id for r in requests if r.thread_record_id is not None]
        if not records:
            continue
        for user in genuine_assignees(kept, casework, role):
            added += grant_records(records, to_user=user, granter=actor, private_key=key)
    return added


def _unwrap_from_absorbed_assignees(
    kept: Case, casework: OpenedRecord, absorbed: Case, requests: list[HelpRequest]
) -> int:
    """Those assigned to the absorbed case lose their own wraps of the moved requests, unless
    an assignment of theirs on the kept case needs them (as ``do_unassign_case``)."""
    moved = {record_id for request in requests for record_id in request.record_ids}
    users = set(CaseAssignment.objects.filter(case=absorbed).values_list("user_id", flat=True))
    needed: dict[int, set[uuid.UUID]] = {user_id: set() for user_id in users}
    for assignment in valid_assignments(kept, casework):
        if assignment.user_id in needed:
            role = AssignmentRole(assignment.role)
            needed[assignment.user_id].update(
                case_record_ids(kept, role, casework, refuse_old_threads=False)
            )
    dropped = 0
    for user_id, keep in needed.items():
        deleted, _detail = RecordKeyWrap.objects.filter(
            record_key__record_id__in=moved - keep, kind=RecordWrapKind.USER, user_id=user_id
        ).delete()
        dropped += deleted
    return dropped


def _close_as_merged(absorbed: Case, kept: Case, casework: OpenedRecord, actor: User) -> None:
    """The absorbed case's last move, kept in its own history: closed, outcome merged. Not a
    move of the workflow's table, which is about the work: a merge may close a case from any
    open state."""
    transition = CaseTransition(
        record_id=casework.record_id,
        case=absorbed,
        from_state=absorbed.state,
        to_state=CaseState.CLOSED,
        outcome=CaseOutcome.MERGED,
        actor=actor,
        at=this_hour(),
    )
    transition.open_with(casework).seal("reason", f"Merged into case #{kept.pk}.")
    transition.save()
    absorbed.state = CaseState.CLOSED
    absorbed.outcome = CaseOutcome.MERGED
    absorbed.merged_into = kept
    absorbed.state_changed_at = transition.at
    absorbed.save(update_fields=["state", "outcome", "merged_into", "state_changed_at"])


def _detail(absorbed: Case, kept: Case, carried: Carried, added: int, dropped: int) -> str:
    return (
        f"case #{absorbed.pk} into case #{kept.pk}: {len(carried.people)} people, "
        f"{carried.rows} rows re-sealed, {carried.unreadable} unreadable rows left, "
        f"{added} wraps added, {dropped} wraps removed"
    )


def do_merge_cases(kept: Case, absorbed: Case, *, actor: User, private_key: bytes) -> Case:
    """Merge ``absorbed`` into ``kept`` in one transaction and one ``CASES_MERGED`` event (a
    listener may record its own: finance's postings each need theirs). The actor's key must
    open both cases' casework and every request of the absorbed case. Returns the kept case.
    Raises CaseActionRefused, naming the case concerned."""
    refuse_unless_mergeable(kept, absorbed)
    kept_casework = _open_casework_of(kept, actor, private_key)
    absorbed_casework = _open_casework_of(absorbed, actor, private_key)
    _refuse_unless_opens_requests(absorbed, absorbed_casework, actor, private_key)
    try:
        with transaction.atomic():
            kept, absorbed = _locked_pair(kept, absorbed)
            refuse_unless_mergeable(kept, absorbed)
            _refuse_changed(kept, kept_casework)
            _refuse_changed(absorbed, absorbed_casework)
            carried = carry_casework(absorbed, kept, absorbed_casework, kept_casework)
            refuse_rows_left_behind(absorbed, absorbed_casework)
            _follow_kept_case(kept, absorbed, carried.requests)
            added = _wrap_to_kept_assignees(
                kept, kept_casework, carried.requests, actor, private_key
            )
            dropped = _unwrap_from_absorbed_assignees(
                kept, kept_casework, absorbed, carried.requests
            )
            for _name, listener in merge_listeners():
                listener(kept, absorbed, actor=actor, private_key=private_key)
            _close_as_merged(absorbed, kept, absorbed_casework, actor)
            record_event(
                EventType.CASES_MERGED,
                actor=actor,
                organisation=kept.organisation,
                target=kept,
                detail=_detail(absorbed, kept, carried, added, dropped),
            )
    except KeyActionRefused as refusal:
        raise CaseActionRefused(str(refusal)) from None
    return kept
