"""Start a pathway for a case, record its steps, end it, and send its information sheet to the
people of the case the caseworker chooses. Notes are sealed in the case's casework (always a
value, "" when none was given); kinds, states, dates, owners and outcomes stay in clear (a
caseworker's own page lists what is due without opening anything), the state, end day, outcome
and done day bound into the seals. A row whose seal is missing or does not open is forged:
every action on it is refused."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.case_tasks.actions import may_hold_tasks
from safehaven.cases.compartments import open_casework, refuse_if_closed
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.links import linked_people
from safehaven.cases.models import Case, CasePerson
from safehaven.cases.person_messages import people_threads, send_fixed_message
from safehaven.core.audit import record_event
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.intake.models import HelpRequest
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.choices import PathwayKind, PathwayState, StepOutcome
from safehaven.travel.models import CasePathway, PathwayStep
from safehaven.travel.pathways.catalogue import Pathway, pathway

ENDINGS = (PathwayState.SUCCEEDED, PathwayState.UNSUCCESSFUL, PathwayState.WITHDRAWN)


def sheet_text(entry: Pathway) -> Promise:
    """The whole sheet as one lazy text: its paragraphs in the language active when read."""
    text: Promise = lazy(lambda: "\n\n".join(str(p) for p in entry.sheet), str)()  # type: ignore[assignment]
    return text


def _refuse_owner(case: Case, owner: User | None) -> None:
    if owner is not None and not may_hold_tasks(case, owner):
        raise CaseActionRefused(
            _(
                "A pathway or step can go only to the case's caseworker or to someone who "
                "manages cases."
            )
        )


def _opened_text(row: CasePathway | PathwayStep, name: str, opened: OpenedRecord) -> str:
    """The sealed text; refused when the seal is missing (MissingSeal) or does not open."""
    try:
        return row.open_with(opened).sealed(name) or ""
    except (SealError, SealedValueUnavailable):
        raise CaseActionRefused(
            _("This pathway does not match its seal: tell your administrators.")
        ) from None


def do_start_pathway(
    case: Case,
    *,
    kind: str,
    owner: User,
    notes: str,
    actor: User,
    private_key: bytes,
) -> CasePathway:
    """Start ``kind`` for ``case`` with one step per catalogue step, each due its typical
    number of days from today. Raises CaseActionRefused."""
    refuse_if_closed(case)
    if kind not in PathwayKind.values:
        raise CaseActionRefused(_("Choose a pathway."))
    _refuse_owner(case, owner)
    entry = pathway(kind)
    opened = open_casework(case, actor=actor, private_key=private_key)
    today = timezone.localdate()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        refuse_if_closed(locked)
        if CasePathway.objects.filter(case=case, kind=kind, state=PathwayState.ACTIVE).exists():
            raise CaseActionRefused(_("This case already pursues this pathway."))
        row = CasePathway(
            record_id=opened.record_id,
            case=case,
            kind=kind,
            owner=owner,
            started_on=today,
            created_by=actor,
        )
        row.open_with(opened).seal("notes", notes.strip())
        row.save()
        steps = [
            PathwayStep(
                record_id=opened.record_id,
                pathway=row,
                step=step.code,
                position=position,
                due_on=today + datetime.timedelta(days=step.days),
                owner=owner,
            )
            for position, step in enumerate(entry.steps)
        ]
        for step_row in steps:
            step_row.open_with(opened).seal("note", "")
        PathwayStep.objects.bulk_create(steps)
        record_event(
            EventType.PATHWAY_STARTED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"pathway {row.item_id} kind {kind}",
        )
    return row


def _refuse_unless_active(row: CasePathway) -> None:
    refuse_if_closed(row.case)
    if row.state != PathwayState.ACTIVE:
        raise CaseActionRefused(_("This pathway has ended."))


def do_record_pathway_step(
    step: PathwayStep,
    *,
    outcome: str,
    done_on: datetime.date | None,
    due_on: datetime.date | None,
    owner: User | None,
    note: str,
    actor: User,
    private_key: bytes,
) -> PathwayStep:
    """Record a step's outcome, the day it was done, its due day and owner, and a note (kept
    if none is given): the note is sealed again with the outcome and day bound in."""
    case = step.pathway.case
    if outcome not in StepOutcome.values:
        raise CaseActionRefused(_("Choose an outcome."))
    today = timezone.localdate()
    if outcome == StepOutcome.PENDING:
        done_on = None
    elif done_on is None:
        done_on = today
    if done_on is not None and done_on > today:
        raise CaseActionRefused(_("A step cannot be done on a day still to come."))
    _refuse_owner(case, owner)
    opened = open_casework(case, actor=actor, private_key=private_key)
    with transaction.atomic():
        locked = (
            PathwayStep.objects.select_for_update()
            .select_related("pathway__case__organisation")
            .get(pk=step.pk)
        )
        _refuse_unless_active(locked.pathway)
        _opened_text(locked.pathway, "notes", opened)
        kept = _opened_text(locked, "note", opened)
        locked.outcome, locked.done_on, locked.due_on, locked.owner = (
            outcome,
            done_on,
            due_on,
            owner,
        )
        locked.seal("note", note.strip() or kept)
        locked.save(update_fields=["outcome", "done_on", "due_on", "owner", "note"])
        record_event(
            EventType.PATHWAY_STEP_RECORDED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"pathway {locked.pathway.item_id} step {locked.step} {outcome or 'pending'}",
        )
    return locked


def do_end_pathway(
    row: CasePathway, *, state: str, actor: User, private_key: bytes, reason: str
) -> CasePathway:
    """End a pathway as succeeded, unsuccessful or withdrawn; the reason is added to its sealed
    notes."""
    if state not in ENDINGS:
        raise CaseActionRefused(_("Choose how the pathway ended."))
    if not reason.strip():
        raise CaseActionRefused(_("Give the reason."))
    opened = open_casework(row.case, actor=actor, private_key=private_key)
    with transaction.atomic():
        locked = (
            CasePathway.objects.select_for_update()
            .select_related("case__organisation")
            .get(pk=row.pk)
        )
        _refuse_unless_active(locked)
        notes = _opened_text(locked, "notes", opened)
        ended = _("Ended (%(state)s): %(reason)s") % {
            "state": PathwayState(state).label,
            "reason": reason.strip(),
        }
        # The state and end day are bound into the notes' seal: set them first.
        locked.state, locked.ended_on = state, timezone.localdate()
        locked.seal("notes", f"{notes}\n\n{ended}".strip())
        locked.save(update_fields=["state", "ended_on", "notes"])
        record_event(
            EventType.PATHWAY_ENDED,
            actor=actor,
            organisation=locked.case.organisation,
            target=locked.case,
            detail=f"pathway {locked.item_id} kind {locked.kind} {state}",
        )
    return locked


@dataclass(frozen=True, repr=False)
class Recipient:
    """A person of the case who may receive a sheet: linked by a seal that opens, their
    request still open to them, its thread opened with the actor's key."""

    person: CasePerson
    help_request: HelpRequest
    thread: OpenedRecord

    def __repr__(self) -> str:
        return f"Recipient({self.person.pk})"


def sheet_recipients(
    case: Case, *, casework: OpenedRecord, actor: User, private_key: bytes
) -> list[Recipient]:
    """The people of ``case`` the actor may send a sheet to, the primary person first."""
    people = {person.help_request_id: person for person in linked_people(case, casework)}
    recipients = [
        Recipient(people[request.pk], request, thread)
        for request, thread in people_threads(
            case, casework=casework, actor=actor, private_key=private_key
        )
        if thread is not None and request.pk in people
    ]
    return sorted(recipients, key=lambda r: (not r.person.is_primary, r.person.pk))


def do_send_pathway_sheet(
    row: CasePathway, *, people: Collection[int], actor: User, private_key: bytes
) -> int:
    """Send the pathway's information sheet to the chosen people of the case (``people``: the
    ids of ``CasePerson`` rows), each in the language of their status page. Refused unless
    the pathway is active and matches its seal, and unless every chosen person is one whose
    thread the actor's key opens. The number of people sent to."""
    case = row.case
    _refuse_unless_active(row)
    if not people:
        raise CaseActionRefused(_("Choose who receives the sheet."))
    opened = open_casework(case, actor=actor, private_key=private_key)
    recipients = sheet_recipients(case, casework=opened, actor=actor, private_key=private_key)
    if not recipients:
        raise CaseActionRefused(
            _("No person of this case has a status page whose messages your key opens.")
        )
    chosen = [r for r in recipients if r.person.pk in set(people)]
    if len(chosen) != len(set(people)):
        raise CaseActionRefused(
            _("The sheet can go only to people of this case whose status page your key opens.")
        )
    with transaction.atomic():
        locked = (
            CasePathway.objects.select_for_update()
            .select_related("case__organisation")
            .get(pk=row.pk)
        )
        _refuse_unless_active(locked)
        _opened_text(locked, "notes", opened)
        threads = [(r.help_request, r.thread) for r in chosen]
        sent = send_fixed_message(threads, sheet_text(pathway(locked.kind)), actor)
        if not sent:
            raise CaseActionRefused(
                _("No person of this case has a status page whose messages your key opens.")
            )
        record_event(
            EventType.PATHWAY_SHEET_SENT,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"pathway {locked.item_id} kind {locked.kind} to {len(sent)}",
        )
    return len(sent)
