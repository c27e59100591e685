"""Verifying a case: record checklist items, add evidence (uploaded, or a document photo the
person sent), ask for approval, and a second person's approval or refusal. Everything written
is sealed in the case's casework compartment, opened with the actor's own key.

The two-person rule (docs/architecture.md, "a two-person approval"): the first person only
asks (a pending ``VerificationApproval``); a supervisor who is not that person decides from
their own re-authenticated session (the view checks it), and approval moves the case to
VERIFIED in the same transaction. Nobody types another person's password.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from io import BytesIO

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Length
from django.http import Http404
from django.utils.translation import gettext as _

from safehaven.accounts.access import Perm, has_perm
from safehaven.accounts.models import Organisation, OrganisationKind, User
from safehaven.cases.choices import (
    ApprovalDecision,
    CaseState,
    CompartmentKind,
    VerificationItemKind,
    VerificationMethod,
    VerificationStatus,
)
from safehaven.cases.compartments import open_compartment
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.links import linked_requests
from safehaven.cases.models import (
    Case,
    EvidenceFile,
    VerificationApproval,
    VerificationItem,
)
from safehaven.cases.verification.checklist import (
    METHODS_FOR_ITEM,
    PARTNER_METHODS,
    approval_opens,
    missing_items,
    pending_approval,
)
from safehaven.cases.workflow.actions import apply_case_move
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.core.uploads.sanitise import (
    KEPT_FORMATS,
    EvidenceRefused,
    SanitisedFile,
    sanitise_evidence,
)
from safehaven.intake.models import RequestAttachment
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record

# A case's evidence is a handful of document photos, not an archive: the caps keep one case
# from filling the database (each file is already capped by the upload handler).
MAX_EVIDENCE_FILES = 20
MAX_EVIDENCE_BYTES = 60 * 1024 * 1024
MEGABYTE = 1024 * 1024
# The only types the sanitiser writes; anything else was not written by this application.
SERVED_TYPES = {content_type: ext for content_type, ext, _opts in KEPT_FORMATS.values()}


def open_casework(case: Case, *, actor: User, private_key: bytes) -> OpenedRecord:
    """The case's casework compartment opened with the actor's key, or a refusal."""
    opened = open_compartment(case, CompartmentKind.CASEWORK, user=actor, private_key=private_key)
    if opened is None:
        raise CaseActionRefused(_("Your key cannot open this case's casework."))
    return opened


def _refuse_if_closed(case: Case) -> None:
    if case.is_closed:
        raise CaseActionRefused(_("This case is closed: nothing can be added to it."))


def _check_item(
    item: VerificationItemKind,
    status: VerificationStatus,
    method: VerificationMethod | None,
    partner: Organisation | None,
) -> None:
    if status != VerificationStatus.NOT_CHECKED and method is None:
        raise CaseActionRefused(_("Say how it was checked."))
    if method is not None and method not in METHODS_FOR_ITEM[item]:
        raise CaseActionRefused(
            _("Identity as LGBTQ+ is attested by a partner or in an interview, not by a document.")
        )
    needs_partner = method in PARTNER_METHODS
    if needs_partner and partner is None:
        raise CaseActionRefused(_("Name the partner organisation that attested it."))
    if not needs_partner and partner is not None:
        raise CaseActionRefused(
            _("A partner organisation is named only when a partner attested or co-verified it.")
        )
    if partner is not None and partner.kind != OrganisationKind.PARTNER:
        raise CaseActionRefused(_("Only a partner organisation can attest a check."))


def do_record_verification_item(
    case: Case,
    *,
    item: VerificationItemKind,
    status: VerificationStatus,
    method: VerificationMethod | None,
    partner: Organisation | None,
    note: str,
    actor: User,
    private_key: bytes,
) -> VerificationItem:
    """Record where one checklist item stands, with a sealed note. Raises CaseActionRefused."""
    item, status = VerificationItemKind(item), VerificationStatus(status)
    method = VerificationMethod(method) if method else None
    _refuse_if_closed(case)
    _check_item(item, status, method, partner)
    opened = open_casework(case, actor=actor, private_key=private_key)
    with transaction.atomic():
        row = VerificationItem(
            record_id=opened.record_id,
            case=case,
            item=item,
            status=status,
            method=method or "",
            partner=partner,
            actor=actor,
            at=this_hour(),
        )
        # Always sealed ("" when nothing was typed): a row without its seal is forged.
        row.open_with(opened).seal("note", note or "")
        row.save()
        record_event(
            EventType.VERIFICATION_CHECKED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"{item.value}: {status.value}",
        )
    return row


def _check_room_for(case: Case, size: int) -> None:
    files = EvidenceFile.objects.filter(case=case)
    if files.count() >= MAX_EVIDENCE_FILES:
        raise CaseActionRefused(
            _("This case already holds %(count)d evidence files, the most it can hold.")
            % {"count": MAX_EVIDENCE_FILES}
        )
    # The ciphertexts' lengths: a few bytes more than the files, so never under the cap.
    stored = files.aggregate(total=Sum(Length("content")))["total"] or 0
    if stored + size > MAX_EVIDENCE_BYTES:
        raise CaseActionRefused(
            _(
                "This case's evidence files would take more than %(megabytes)d MB together. "
                "Send a smaller photo, or keep only the pages that matter."
            )
            % {"megabytes": MAX_EVIDENCE_BYTES // MEGABYTE}
        )


def _store_evidence(
    case: Case,
    opened: OpenedRecord,
    *,
    content: bytes,
    content_type: str,
    description: str,
    actor: User,
    detail: str,
) -> EvidenceFile:
    with transaction.atomic():
        _check_room_for(case, len(content))
        evidence = EvidenceFile(
            record_id=opened.record_id,
            case=case,
            size_bucket=max(1, math.ceil(len(content) / MEGABYTE)),
            added_by=actor,
            at=this_hour(),
        )
        evidence.open_with(opened)
        evidence.seal("content", content)
        evidence.seal("content_type", content_type)
        evidence.seal("description", description or "")
        evidence.save()
        record_event(
            EventType.EVIDENCE_ADDED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=detail,
        )
    return evidence


def do_add_evidence(
    case: Case, *, file: SanitisedFile, description: str, actor: User, private_key: bytes
) -> EvidenceFile:
    """Seal an uploaded file, already made safe (``core.uploads.sanitise_evidence``), into the
    case's casework. Raises CaseActionRefused."""
    _refuse_if_closed(case)
    if file.content_type not in SERVED_TYPES:
        raise CaseActionRefused(_("Only a file made safe by the upload form can be kept."))
    opened = open_casework(case, actor=actor, private_key=private_key)
    return _store_evidence(
        case,
        opened,
        content=file.content,
        content_type=file.content_type,
        description=description,
        actor=actor,
        detail="uploaded",
    )


def do_copy_person_photo(
    case: Case, *, attachment_item_id: uuid.UUID, actor: User, private_key: bytes
) -> EvidenceFile:
    """Copy a document photo the person sent from their status page into the case's evidence:
    opened with the actor's key to the request, made safe again and re-sealed under casework.

    Made safe again because it arrived sealed to the request's public inbox key, which anyone
    who can write the database can use: a planted file must not become evidence as it is. The
    copy records the request it came from and is deleted when that request is erased
    (``cases.verification.erasure``)."""
    _refuse_if_closed(case)
    opened = open_casework(case, actor=actor, private_key=private_key)
    # Only the requests whose sealed link opens: a link row written into the database must not
    # bring another person's photo into this case (cases.links).
    linked = [request.pk for request in linked_requests(case, opened)]
    attachment = RequestAttachment.objects.filter(
        item_id=attachment_item_id, help_request_id__in=linked
    ).first()
    if attachment is None:
        raise CaseActionRefused(_("This photo is not one the people of this case sent."))
    try:
        opened_request = open_record(attachment.record_id, user=actor, private_key=private_key)
        attachment.open_with(opened_request)
        content = attachment.sealed_bytes("content")
        content_type = attachment.sealed("content_type")
    except (RecordUnavailable, SealError):
        raise CaseActionRefused(_("Your key cannot open this photo.")) from None
    if content is None or content_type not in SERVED_TYPES:
        raise CaseActionRefused(_("This photo can no longer be read."))
    try:
        photo = sanitise_evidence(BytesIO(content))
    except EvidenceRefused as refusal:
        raise CaseActionRefused(
            _("This photo was not copied: %(reason)s") % {"reason": refusal.message}
        ) from None
    with transaction.atomic():
        evidence = _store_evidence(
            case,
            opened,
            content=photo.content,
            content_type=photo.content_type,
            description=_("A document photo the person sent from their status page."),
            actor=actor,
            detail="copied from the person's photo",
        )
        evidence.source_request_id = attachment.help_request_id
        evidence.save(update_fields=["source_request"])
    return evidence


@dataclass(frozen=True, repr=False)
class OpenedEvidence:
    evidence: EvidenceFile
    content: bytes
    content_type: str

    def __repr__(self) -> str:
        return f"OpenedEvidence({self.evidence.item_id})"

    @property
    def filename(self) -> str:
        # Never the original name (never stored): a fixed word and a short id.
        return f"evidence-{str(self.evidence.item_id)[:8]}.{SERVED_TYPES[self.content_type]}"


def do_open_evidence(
    case: Case, item_id: uuid.UUID, *, actor: User, private_key: bytes
) -> OpenedEvidence:
    """Open one evidence file of ``case`` with the reader's key and record the read. Raises
    CaseActionRefused when their key does not open casework, Http404 for a file that is not
    this case's or does not open under its binding; nothing is recorded then."""
    opened = open_casework(case, actor=actor, private_key=private_key)
    evidence = EvidenceFile.objects.filter(
        case=case, record_id=opened.record_id, item_id=item_id
    ).first()
    if evidence is None:
        raise Http404
    try:
        evidence.open_with(opened)
        content = evidence.sealed_bytes("content")
        content_type = evidence.sealed("content_type")
    except SealError:
        raise Http404 from None
    if content is None or content_type not in SERVED_TYPES:
        raise Http404
    with transaction.atomic():
        record_event(
            EventType.EVIDENCE_VIEWED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"evidence {str(item_id)[:8]}",
        )
    return OpenedEvidence(evidence, content, content_type)


def do_request_verification(case: Case, *, actor: User, private_key: bytes) -> VerificationApproval:
    """Ask a second person to approve the case as verified: the case is in verification and
    every checklist item is confirmed. Raises CaseActionRefused naming what is missing."""
    if case.state != CaseState.VERIFICATION:
        raise CaseActionRefused(
            _("Only a case in verification can be sent for approval; this one is in “%(state)s”.")
            % {"state": case.get_state_display()}
        )
    opened = open_casework(case, actor=actor, private_key=private_key)
    missing = missing_items(case, opened)
    if missing:
        raise CaseActionRefused(
            _("Every check must be confirmed first. Still to confirm: %(items)s.")
            % {"items": ", ".join(str(kind.label) for kind in missing)}
        )
    if pending_approval(case) is not None:
        raise CaseActionRefused(_("Approval has already been asked for."))
    try:
        with transaction.atomic():
            approval = VerificationApproval(
                record_id=opened.record_id, case=case, requested_by=actor, requested_at=this_hour()
            )
            # Sealed empty now, bound to who asked and the hour: the decider opens it first.
            approval.open_with(opened).seal("note", "")
            approval.save()
            record_event(
                EventType.VERIFICATION_REQUESTED,
                actor=actor,
                organisation=case.organisation,
                target=case,
            )
    except IntegrityError:  # asked twice at the same moment
        raise CaseActionRefused(_("Approval has already been asked for.")) from None
    return approval


def _check_decider(approval: VerificationApproval, actor: User) -> None:
    if not has_perm(actor, Perm.APPROVE_VERIFICATION):
        raise CaseActionRefused(_("Only a supervisor can decide on a verification."))
    if approval.requested_by_id == actor.pk:
        raise CaseActionRefused(
            _("A second person must decide: you asked for this approval yourself.")
        )


def _decide(
    approval: VerificationApproval,
    decision: ApprovalDecision,
    *,
    actor: User,
    private_key: bytes,
    note: str,
) -> tuple[VerificationApproval, Case, OpenedRecord]:
    """Lock the pending approval and record the decision (inside the caller's transaction)."""
    _check_decider(approval, actor)
    locked = (
        VerificationApproval.objects.select_for_update()
        .select_related("case", "case__organisation")
        .get(pk=approval.pk)
    )
    if locked.decision != ApprovalDecision.PENDING:
        raise CaseActionRefused(_("This approval has already been decided."))
    case = Case.objects.select_for_update().select_related("organisation").get(pk=locked.case_id)
    opened = open_casework(case, actor=actor, private_key=private_key)
    if not approval_opens(locked, opened):
        # Inserted in the database, or who asked (or when) rewritten there: the two-person
        # rule cannot be checked on it.
        raise CaseActionRefused(
            _(
                "This request for approval does not match its seal: it cannot be trusted. "
                "Tell your administrators."
            )
        )
    locked.decision = decision
    locked.decided_by = actor
    locked.decided_at = this_hour()
    locked.open_with(opened).seal("note", note)
    locked.save()
    return locked, case, opened


def do_approve_verification(
    approval: VerificationApproval, *, actor: User, private_key: bytes, note: str
) -> Case:
    """A second person approves: the case moves to VERIFIED in the same transaction."""
    with transaction.atomic():
        decided, case, opened = _decide(
            approval, ApprovalDecision.APPROVED, actor=actor, private_key=private_key, note=note
        )
        if case.state != CaseState.VERIFICATION:
            raise CaseActionRefused(_("The case is no longer in verification."))
        missing = missing_items(case, opened)
        if missing:
            raise CaseActionRefused(
                _("A check is no longer confirmed: %(items)s.")
                % {"items": ", ".join(str(kind.label) for kind in missing)}
            )
        apply_case_move(
            case,
            to_state=CaseState.VERIFIED,
            reason=note or _("Verification approved by a second person."),
            actor=actor,
            opened=opened,
        )
        record_event(
            EventType.VERIFICATION_APPROVED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"asked by user #{decided.requested_by_id}",
        )
    return case


def do_refuse_verification(
    approval: VerificationApproval, *, actor: User, private_key: bytes, note: str
) -> VerificationApproval:
    """A second person refuses, saying why: the case stays in verification."""
    if not note.strip():
        raise CaseActionRefused(_("Say why, so the checks can be done again."))
    with transaction.atomic():
        decided, case, _opened = _decide(
            approval, ApprovalDecision.REFUSED, actor=actor, private_key=private_key, note=note
        )
        record_event(
            EventType.VERIFICATION_REFUSED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"asked by user #{decided.requested_by_id}",
        )
    return decided
