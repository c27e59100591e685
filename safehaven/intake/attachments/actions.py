"""Opening a request's attachments with the reader's own key: the list (no file opened) and
one file, whose read is audited like the request's."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404

from safehaven.accounts.models import User
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.core.uploads.served import SERVED_TYPES, SERVED_TYPES_WITH_PDF, read_served_file
from safehaven.intake.attachments.planted import is_planted_partner_evidence
from safehaven.intake.choices import AttachmentKind
from safehaven.intake.models import HelpRequest, RequestAttachment
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record


@dataclass(frozen=True, repr=False)
class OpenedAttachment:
    attachment: RequestAttachment
    content: bytes
    content_type: str

    def __repr__(self) -> str:
        return f"OpenedAttachment({self.attachment.item_id})"

    @property
    def filename(self) -> str:
        # Never the person's own file name (never stored): the kind and a short id.
        extension = SERVED_TYPES_WITH_PDF[self.content_type]
        return f"{self.attachment.kind}-{str(self.attachment.item_id)[:8]}.{extension}"


def do_open_attachment(
    help_request: HelpRequest, item_id: uuid.UUID, *, actor: User, private_key: bytes
) -> OpenedAttachment:
    """Open one attachment of ``help_request`` with the reader's key and record the read.

    Raises RecordUnavailable when the reader's key does not open the request, Http404 for an
    attachment that is not this request's or does not open under its binding (moved or
    forged, or partner evidence sealed to the inbox key: planted); nothing is recorded then."""
    opened = open_record(help_request.record_id, user=actor, private_key=private_key)
    attachment = RequestAttachment.objects.filter(
        help_request=help_request, record_id=help_request.record_id, item_id=item_id
    ).first()
    if attachment is None or is_planted_partner_evidence(attachment):
        raise Http404
    # A referring partner's evidence may be a PDF, kept as sent (partners/portal/evidence.py).
    partner = attachment.kind == AttachmentKind.PARTNER_EVIDENCE
    types = SERVED_TYPES_WITH_PDF if partner else SERVED_TYPES
    content, content_type = read_served_file(attachment.open_with(opened), types)
    with transaction.atomic():
        record_event(
            EventType.REQUEST_VIEWED, actor=actor, target=help_request, detail="attachment"
        )
    return OpenedAttachment(attachment, content, content_type)


@dataclass(frozen=True)
class ListedAttachment:
    item_id: uuid.UUID
    kind_label: str
    created_at: object
    size: int
    from_partner: bool = False
    # Partner evidence sealed to the inbox key (``planted``): shown as not matching its seal.
    planted: bool = False


def attachments_panel_context(
    help_request: HelpRequest, opened: OpenedRecord | None
) -> dict[str, object]:
    """The context of ``intake/attachments_panel.html``: the request's attachments, for a
    reader whose key opened the request (``opened``; None shows nothing). Lists without
    opening any file; the download opens and audits it."""
    if opened is None or opened.record_id != help_request.record_id:
        return {"attachments": None, "help_request": help_request}
    rows = RequestAttachment.objects.filter(help_request=help_request).only(
        "item_id", "kind", "created_at", "content", "content_type"
    )
    listed = []
    for row in rows:
        planted = is_planted_partner_evidence(row)
        listed.append(
            ListedAttachment(
                row.item_id,
                str(row.get_kind_display()),
                row.created_at,
                len(row.content or b""),
                from_partner=row.kind == AttachmentKind.PARTNER_EVIDENCE and not planted,
                planted=planted,
            )
        )
    return {"attachments": listed, "help_request": help_request}
