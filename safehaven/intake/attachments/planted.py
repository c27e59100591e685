"""Telling a planted partner evidence row from a real one, without opening it.

The person's own document photos arrive sealed to the request's public inbox key: nobody's key
is present when they send one, and staff are told such a file is not verifiable. A referring
partner's evidence is sealed under the request's data key by a member whose key opens the
request (``partners.portal.actions``), and staff are told it came from the partner (it may be
a PDF). The inbox public key is in clear, so anyone who can write the database can seal to it:
a row of kind partner evidence sealed that way was written around the application, whatever
it holds, and does not match its seal.
"""

from __future__ import annotations

from collections.abc import Iterable

from safehaven.intake.choices import AttachmentKind
from safehaven.intake.models import RequestAttachment
from safehaven.keys.wrapping import is_inbox_blob

SEALED_FILE_FIELDS = ("content", "content_type")


def is_planted_partner_evidence(
    row: RequestAttachment, fields: Iterable[str] = SEALED_FILE_FIELDS
) -> bool:
    """Whether ``row`` claims to be a partner's evidence but one of its sealed ``fields`` is
    missing or sealed to the inbox key. Pass only the fields loaded (a list need not load the
    file); a row of another kind is never planted by this test."""
    if row.kind != AttachmentKind.PARTNER_EVIDENCE:
        return False
    for name in fields:
        sealed = getattr(row, name)
        if sealed is None or is_inbox_blob(bytes(sealed)):
            return True
    return False
