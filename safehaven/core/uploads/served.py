"""Sending a sealed file (or an export) back to staff: only the types the sanitiser writes, or
CSV, as an attachment that no browser renders inline, guesses the type of, or keeps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from django.http import Http404, HttpResponse

from safehaven.core.crypto import SealError
from safehaven.core.uploads.sanitise import KEPT_FORMATS

# The only types the sanitiser writes, with their file extensions; anything else in a sealed
# file row was not written by this application.
SERVED_TYPES = {content_type: ext for content_type, ext, _opts in KEPT_FORMATS.values()}
PDF_TYPE = "application/pdf"
# The accountant's and the reports' exports.
CSV_TYPE = "text/csv; charset=utf-8"
# Where a PDF is accepted as sent (a referring partner's evidence): only ever a download.
SERVED_TYPES_WITH_PDF = {**SERVED_TYPES, PDF_TYPE: "pdf"}


class SealedFileRow(Protocol):
    def sealed_bytes(self, name: str) -> bytes | None: ...

    def sealed(self, name: str) -> str | None: ...


def read_served_file(
    row: SealedFileRow, types: Mapping[str, str] = SERVED_TYPES
) -> tuple[bytes, str]:
    """The ``content`` and ``content_type`` of a sealed file row already opened with its key;
    Http404 when a seal does not open or the type is not one the sanitiser writes."""
    try:
        content = row.sealed_bytes("content")
        content_type = row.sealed("content_type")
    except SealError:
        raise Http404 from None
    if content is None or content_type is None or content_type not in types:
        raise Http404
    return content, content_type


def served_file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
