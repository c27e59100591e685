"""A case's evidence files: uploaded (already made safe by ``core.uploads``), or copied from a
document photo the person sent from their status page (made safe again), sealed in the case's
casework compartment, opened and read with the actor's own key. Verification counts on them
(``cases.verification``); copies of the person's photos go when their request is erased
(``cases.evidence.erasure``)."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from io import BytesIO

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Length
from django.http import Http404
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.compartments import open_casework, refuse_if_closed
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.links import linked_requests
from safehaven.cases.models import Case, EvidenceFile
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.core.uploads.sanitise import (
    EvidenceRefused,
    SanitisedFile,
    sanitise_evidence,
)
from safehaven.core.uploads.served import SERVED_TYPES, read_served_file
from safehaven.intake.attachments.planted import is_planted_partner_evidence
from safehaven.intake.models import RequestAttachment
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record

# A case's evidence is a handful of document photos, not an archive: the caps keep one case
# from filling the database (each file is already capped by the upload handler).
MAX_EVIDENCE_FILES = 20
MAX_EVIDENCE_BYTES = 60 * 1024 * 1024
MEGABYTE = 1024 * 1024


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
    refuse_if_closed(case)
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
    (``cases.evidence.erasure``)."""
    refuse_if_closed(case)
    opened = open_casework(case, actor=actor, private_key=private_key)
    # Only the requests whose sealed link opens: a link row written into the database must not
    # bring another person's photo into this case (cases.links).
    linked = [request.pk for request in linked_requests(case, opened)]
    attachment = RequestAttachment.objects.filter(
        item_id=attachment_item_id, help_request_id__in=linked
    ).first()
    # A "partner evidence" row sealed to the public inbox key was planted, not added by the
    # partner: it must not become evidence either (intake.attachments.planted).
    if attachment is None or is_planted_partner_evidence(attachment):
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
    content, content_type = read_served_file(evidence.open_with(opened))
    with transaction.atomic():
        record_event(
            EventType.EVIDENCE_VIEWED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"evidence {str(item_id)[:8]}",
        )
    return OpenedEvidence(evidence, content, content_type)
