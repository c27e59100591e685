"""Tags that show the application wrote what the alarm reads of an expected check-in: an
HMAC-SHA256, under a key derived (a label of its own) from the server's tag secret
``settings.PUBLIC_KEY_TAG_KEY`` as ``keys/public_key_tags.py`` and ``keys/wrap_tags.py`` do,
over its clear columns (the row, case, booking, position, window, when, how and by whom it
was checked in, whether a report is there, when it was cancelled).

Why: the alarm runs with nobody's key and reads clear columns only, and anyone can seal a
report to the travel compartment's inbox key, so a database writer could mark a check-in as
come or cancelled and silence the alarm. A writer cannot make a tag: the timer counts a
check-in whose tag does not verify as missed, at once (``alarms.queries.is_missed``), and the
check-ins panel shows it as forged (SECURITY.md, "Check-ins during a journey"). Who holds the
secret (the application server) can still make tags.

Every code path that writes these columns tags the row again after writing them, and only a
row that was genuine as loaded: re-tagging a row someone else changed would vouch for it.
Nothing sealed and no record id is tagged, so re-keying a case (which re-seals its rows under a
new record id) leaves the tags valid.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac

from django.conf import settings

from safehaven.core.crypto import derive_key
from safehaven.keys.wrapping import binding
from safehaven.travel.models import ExpectedCheckIn

TAG_LABEL = "safehaven travel check-in tag v1"


@functools.lru_cache(maxsize=4)
def _tag_key(secret: bytes) -> bytes:
    return derive_key(secret, TAG_LABEL)


def _stamp(moment: datetime.datetime | None) -> str:
    return f"t{int(moment.timestamp())}" if moment is not None else "-"


def check_in_tag(row: ExpectedCheckIn, *, secret: bytes | None = None) -> bytes:
    """The tag of ``row`` as it is now (it must have its id)."""
    if row.pk is None:
        raise ValueError("an expected check-in is tagged once it has its id")
    message = binding(
        "travel-check-in",
        row.pk,
        row.case_id,
        row.booking_id,
        row.position,
        _stamp(row.opens_at),
        _stamp(row.due_by),
        _stamp(row.checked_in_at),
        row.checked_in_via,
        row.checked_in_by_id if row.checked_in_by_id is not None else "-",
        "report" if row.report is not None else "-",
        _stamp(row.cancelled_at),
    )
    key = _tag_key(settings.PUBLIC_KEY_TAG_KEY if secret is None else secret)
    return hmac.new(key, message, hashlib.sha256).digest()


def tag_check_in(row: ExpectedCheckIn) -> None:
    """Tag ``row``, whose clear columns this code just wrote; save ``tag`` with them."""
    row.tag = check_in_tag(row)


def check_in_tag_matches(row: ExpectedCheckIn) -> bool:
    """Whether ``row`` carries the tag of its clear columns as they are (an untagged row, or
    one whose columns changed since it was tagged, does not)."""
    if row.pk is None or not row.tag:
        return False
    return hmac.compare_digest(bytes(row.tag), check_in_tag(row))
