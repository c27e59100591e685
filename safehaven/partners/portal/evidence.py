"""What a partner's evidence file may be, decided from its content (never its name or the
browser's word), as ticket files are: an image, re-encoded without its metadata
(``core.uploads.sanitise``), or a PDF kept as sent (a partner's letter or a scanned document is
often one). A PDF cannot be made safe here: it is sealed as given and only ever downloaded by
staff, never shown in a page (SECURITY.md, "Uploads")."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from safehaven.core.uploads.sanitise import (
    KEPT_FORMATS,
    EvidenceRefused,
    format_by_content,
    sanitise_evidence,
)
from safehaven.core.uploads.served import PDF_TYPE

MEGABYTE = 1024 * 1024
ACCEPT = ",".join([PDF_TYPE, *(content_type for content_type, _e, _o in KEPT_FORMATS.values())])


class EvidenceFileRefused(Exception):
    """A file that cannot be kept as evidence; ``message`` says why, safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, repr=False)
class EvidenceFile:
    content: bytes
    content_type: str

    def __repr__(self) -> str:
        return f"EvidenceFile({self.content_type}, {len(self.content)} bytes)"


def max_file_bytes() -> int:
    """The upload handler's cap: a larger file never arrives whole."""
    return int(settings.UPLOAD_MAX_BYTES)


def too_large_message() -> str:
    return _(
        "This file is larger than %(megabytes)d MB, so it was not added. Send a smaller "
        "photo or PDF, or the pages one by one."
    ) % {"megabytes": max(1, max_file_bytes() // MEGABYTE)}


def checked_evidence_file(upload: IO[bytes]) -> EvidenceFile:
    """The upload as evidence: a PDF as it is, an image re-encoded without metadata. Raises
    EvidenceFileRefused, saying why, for anything else or anything too large."""
    if getattr(upload, "too_large", False):  # dropped by the upload handler as it streamed in
        raise EvidenceFileRefused(too_large_message())
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(max_file_bytes() + 1)
    if len(content) > max_file_bytes():
        raise EvidenceFileRefused(too_large_message())
    # A PDF must say so at its very start: a reader's leniency (a header anywhere in the first
    # kilobyte) would let another kind of file pass as one.
    if content.startswith(b"%PDF-"):
        return EvidenceFile(content, PDF_TYPE)
    if format_by_content(content[:1024]) not in KEPT_FORMATS:
        raise EvidenceFileRefused(
            _("Evidence must be a PDF or an image (JPEG, PNG or WebP), such as a photo of a page.")
        )
    try:
        image = sanitise_evidence(BytesIO(content))
    except EvidenceRefused as refusal:
        raise EvidenceFileRefused(refusal.message) from None
    return EvidenceFile(image.content, image.content_type)
