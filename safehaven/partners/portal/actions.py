"""What a partner member does on a referral's page besides writing: add verification evidence.

The file is a ``intake.models.RequestAttachment`` of kind partner evidence, sealed under the
request's data key, opened with the member's key (through their partner team key): not to the
public inbox key, like the person's own document photos, because anyone who can write the
database can seal to that, and staff are told the file came from the referring partner. A
partner evidence row sealed to the inbox key was planted, and is never served
(``intake.attachments.planted``). Staff open it where they open the request's other files. An
optional note goes with it as a message to the organisation (``referral_messages``), sealed
under the same key.
"""

from __future__ import annotations

from typing import IO

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.intake.attachments.planted import is_planted_partner_evidence
from safehaven.intake.choices import AttachmentKind
from safehaven.intake.models import HelpRequest, RequestAttachment
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record
from safehaven.partners.choices import MessageDirection
from safehaven.partners.models import ReferralMessage
from safehaven.partners.portal.evidence import (
    MEGABYTE,
    EvidenceFileRefused,
    checked_evidence_file,
)
from safehaven.partners.referral_messages.actions import (
    ReferralMessageRefused,
    refuse_unless_open_to_additions,
)

# Per referral: enough for a letter, an ID card and a few photos; the person's own document
# photos are counted apart (``intake.status_page.actions``).
MAX_EVIDENCE_FILES = 20
MAX_EVIDENCE_BYTES = 60 * MEGABYTE


def partner_evidence(help_request: HelpRequest) -> list[RequestAttachment]:
    """The evidence partners added to the request, oldest first: the clear columns, and the
    sealed type to leave out a planted row (the file itself is not loaded for a list; its
    download checks it too)."""
    rows = RequestAttachment.objects.filter(
        help_request=help_request, kind=AttachmentKind.PARTNER_EVIDENCE
    ).only("item_id", "kind", "created_at", "help_request_id", "content_type")
    return [row for row in rows if not is_planted_partner_evidence(row, ("content_type",))]


def _check_evidence_cap(help_request: HelpRequest, size: int) -> None:
    held = RequestAttachment.objects.filter(
        help_request=help_request, kind=AttachmentKind.PARTNER_EVIDENCE
    ).aggregate(count=Count("pk"), size=Sum(Length("content")))
    if held["count"] >= MAX_EVIDENCE_FILES:
        raise EvidenceFileRefused(
            _("This referral already holds %(count)d evidence files, as many as it can hold.")
            % {"count": MAX_EVIDENCE_FILES}
        )
    if (held["size"] or 0) + size > MAX_EVIDENCE_BYTES:
        raise EvidenceFileRefused(
            _(
                "The evidence files of this referral together would be larger than "
                "%(megabytes)d MB. Send a smaller file, or write to the organisation."
            )
            % {"megabytes": MAX_EVIDENCE_BYTES // MEGABYTE}
        )


def _note_message(
    help_request: HelpRequest,
    attachment: RequestAttachment,
    note: str,
    *,
    actor: User,
    opened: OpenedRecord,
) -> ReferralMessage:
    hour = date_format(timezone.localtime(attachment.created_at), "j M Y, H:i")
    message = ReferralMessage(
        record_id=help_request.record_id,
        help_request=help_request,
        direction=MessageDirection.FROM_PARTNER,
        author=actor,
    )
    text = _("About the evidence file added at %(hour)s:") % {"hour": hour} + "\n" + note
    message.open_with(opened).seal("body", text)
    message.save()
    return message


def do_add_partner_evidence(
    help_request: HelpRequest,
    *,
    upload: IO[bytes],
    note: str,
    actor: User,
    private_key: bytes | None,
) -> RequestAttachment:
    """Check the file (an image made safe, or a PDF), seal it under the request's data key
    (opened with the member's key) as partner evidence, the note (if any) as a message, and
    record it (ids only). The caps are counted before the file is decoded, the costly part.
    Raises EvidenceFileRefused or ReferralMessageRefused (nothing stored), RecordUnavailable
    when the member's key does not open the request."""
    refuse_unless_open_to_additions(help_request)
    if private_key is None:
        raise ReferralMessageRefused(
            _("Your key is not unlocked in this session, so the evidence cannot be sealed.")
        )
    opened = open_record(help_request.record_id, user=actor, private_key=private_key)
    _check_evidence_cap(help_request, 0)
    checked = checked_evidence_file(upload)  # outside the transaction: decoding takes a while
    with transaction.atomic():
        # One writer at a time per request, so two uploads cannot both pass the cap.
        locked = HelpRequest.objects.select_for_update().filter(
            pk=help_request.pk, shredded_at=None
        )
        if not list(locked.values_list("pk", flat=True)):
            raise ReferralMessageRefused(
                _("The person withdrew this request, so nothing more can be added to it.")
            )
        _check_evidence_cap(help_request, len(checked.content))
        attachment = RequestAttachment(
            record_id=help_request.record_id,
            help_request=help_request,
            kind=AttachmentKind.PARTNER_EVIDENCE,
        )
        attachment.open_with(opened)
        attachment.seal("content", checked.content)
        attachment.seal("content_type", checked.content_type)
        attachment.save()
        detail = f"attachment {attachment.item_id}"
        if note.strip():
            message = _note_message(help_request, attachment, note, actor=actor, opened=opened)
            detail += f" message {message.item_id}"
        record_event(
            EventType.PARTNER_EVIDENCE_ADDED, actor=actor, target=help_request, detail=detail
        )
    return attachment
