"""What a ticket file may be, decided from its content (never its name or the browser's word):
an image (a screenshot of a boarding pass, a photo of a paper ticket), re-encoded without its
metadata as evidence is (``core.uploads.sanitise``), or a PDF, kept as it is. A PDF cannot be
made safe here (``core.uploads`` refuses them as evidence, SECURITY.md "Uploads"), but airlines
send e-tickets and boarding passes as PDFs: it is sealed as given and only ever served as a
download, never rendered by the application (docs/travel.md, "Ticket files")."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from io import BytesIO
from typing import IO

from django.utils.translation import gettext as _

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.uploads.sanitise import (
    KEPT_FORMATS,
    EvidenceRefused,
    format_by_content,
    sanitise_evidence,
)
from safehaven.core.uploads.served import SERVED_TYPES

MEGABYTE = 1024 * 1024
# A boarding pass or an e-ticket receipt is well under a megabyte; a scanned one a few.
MAX_TICKET_BYTES = 10 * MEGABYTE
PDF_TYPE = "application/pdf"
# The types a ticket file is stored and served as, with the extension its download gets.
TICKET_TYPES = {**SERVED_TYPES, PDF_TYPE: "pdf"}
ACCEPT = ",".join([PDF_TYPE, *(content_type for content_type, _e, _o in KEPT_FORMATS.values())])
NAME_MAX_LENGTH = 100
UNNAMED = "ticket"


@dataclass(frozen=True, repr=False)
class TicketUpload:
    """A ticket file checked and, for an image, made safe: its bytes, type and safe name."""

    content: bytes
    content_type: str
    name: str

    def __repr__(self) -> str:
        return f"TicketUpload({self.content_type}, {len(self.content)} bytes)"


def too_large_message() -> str:
    return _(
        "This file is larger than %(megabytes)d MB. Send the ticket's own PDF or a screenshot "
        "of it instead."
    ) % {"megabytes": MAX_TICKET_BYTES // MEGABYTE}


def safe_base_name(name: str) -> str:
    """The last part of ``name`` (a browser may send a whole path), without control or
    direction characters (which could disguise ``…fdp.exe`` as ``…exe.pdf``) and not too long;
    ``ticket`` when nothing is left. Only ever shown escaped, never used as a path."""
    base = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    # A line break or tab becomes a space; an invisible format character goes.
    kept = "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in base
        if unicodedata.category(char) != "Cf"
    )
    kept = " ".join(kept.split()).strip(" .")
    if len(kept) > NAME_MAX_LENGTH:
        stem, dot, extension = kept.rpartition(".")
        if dot and 0 < len(extension) <= 8:
            kept = f"{stem[: NAME_MAX_LENGTH - len(extension) - 1]}.{extension}"
        else:
            kept = kept[:NAME_MAX_LENGTH]
    return kept or UNNAMED


def _read_capped(upload: IO[bytes]) -> bytes:
    if getattr(upload, "too_large", False):  # dropped by the upload handler as it streamed in
        raise CaseActionRefused(too_large_message())
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(MAX_TICKET_BYTES + 1)
    if len(content) > MAX_TICKET_BYTES:
        raise CaseActionRefused(too_large_message())
    return content


def checked_ticket_file(upload: IO[bytes], name: str) -> TicketUpload:
    """The upload as a ticket file: a PDF as it is, an image re-encoded without metadata.
    Raises CaseActionRefused, saying why, for anything else or anything too large."""
    content = _read_capped(upload)
    # A PDF must say so at its very start: a reader's leniency (a header anywhere in the first
    # kilobyte) would let another kind of file pass as one.
    if content.startswith(b"%PDF-"):
        return TicketUpload(content, PDF_TYPE, safe_base_name(name))
    if format_by_content(content[:1024]) not in KEPT_FORMATS:
        raise CaseActionRefused(
            _(
                "A ticket file must be a PDF or an image (JPEG, PNG or WebP), such as a "
                "screenshot of a boarding pass."
            )
        )
    try:
        image = sanitise_evidence(BytesIO(content))
    except EvidenceRefused as refusal:
        raise CaseActionRefused(refusal.message) from None
    return TicketUpload(image.content, image.content_type, safe_base_name(name))
