"""A requester's wrap added to a record that already exists: the codename a person chose with a
one-time status code, and the code itself (a partner's referral is made with no codename).

A record holds at most one requester wrap (kind CODENAME, one per record key): the code's or
the codename's. The code's wrap is made under a key and a binding of its own, with its expiry
bound in, so that no column in clear decides what a code opens: a code never opens a record
through ``records.open_record_with_codename`` (nor a codename through
:func:`open_record_with_status_code`), and a code whose expiry was changed in the database
opens nothing (docs/keys.md, "Codename key").
"""

from __future__ import annotations

import uuid
from datetime import datetime

from safehaven.core.crypto import SealError, decrypt_with_key, derive_key, encrypt_with_key
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import (
    _codename_aad,
    _opened_from,
    _record_key,
    codename_key,
    normalise_codename,
)
from safehaven.keys.wrapping import binding

STATUS_CODE_WRAP_LABEL = "safehaven one-time status code wrap v1"


def _status_code_key(code: str, record_id: uuid.UUID) -> bytes:
    # As strong as the code (seven codename words); the record id salts it, like a codename's.
    normalised = normalise_codename(code)
    if not normalised:
        raise ValueError("a status code must not be empty")
    return derive_key(
        normalised.encode("utf-8") + b"\x00" + record_id.bytes, STATUS_CODE_WRAP_LABEL
    )


def _status_code_aad(record_id: uuid.UUID, expires_at: datetime) -> bytes:
    return binding("record-status-code", record_id, int(expires_at.timestamp()))


def _add_requester_wrap(opened: OpenedRecord, wrapped: bytes) -> None:
    record_key = _record_key(opened.record_id)
    RecordKeyWrap.objects.create(
        record_key=record_key, kind=RecordWrapKind.CODENAME, wrapped=wrapped
    )


def remove_codename_wraps(record_id: uuid.UUID) -> int:
    """Delete the record's requester wrap (a codename's or a code's); how many were removed."""
    deleted, _detail = RecordKeyWrap.objects.filter(
        record_key__record_id=record_id, kind=RecordWrapKind.CODENAME
    ).delete()
    return deleted


def add_codename_wrap(opened: OpenedRecord, codename: str) -> None:
    """Wrap an opened record's key to a codename exactly as intake does for a new request
    (``records.open_record_with_codename`` opens it). The record must hold no requester wrap:
    remove the old one first, in the same transaction."""
    record_id = opened.record_id
    key = codename_key(codename, record_id)
    dek = opened.data_key_for_wrapping()
    _add_requester_wrap(opened, encrypt_with_key(key, dek, _codename_aad(record_id)))


def add_status_code_wrap(opened: OpenedRecord, code: str, *, expires_at: datetime) -> None:
    """Wrap an opened record's key to a one-time status code valid until ``expires_at`` (to
    the second: the same instant must be stored in clear for the code to open)."""
    record_id = opened.record_id
    key = _status_code_key(code, record_id)
    dek = opened.data_key_for_wrapping()
    _add_requester_wrap(opened, encrypt_with_key(key, dek, _status_code_aad(record_id, expires_at)))


def open_record_with_status_code(
    record_id: uuid.UUID, code: str, *, expires_at: datetime
) -> OpenedRecord:
    """Open a record with its one-time status code; RecordUnavailable for a wrong code, a
    codename, a changed expiry or a record without a requester wrap."""
    record_key = _record_key(record_id)
    wrap = RecordKeyWrap.objects.filter(
        record_key=record_key, kind=RecordWrapKind.CODENAME, suspended=False
    ).first()
    if wrap is None:
        raise RecordUnavailable("This record cannot be opened with this code.")
    try:
        key = _status_code_key(code, record_id)
        dek = decrypt_with_key(key, bytes(wrap.wrapped), _status_code_aad(record_id, expires_at))
    except (SealError, ValueError):
        raise RecordUnavailable("This record cannot be opened with this code.") from None
    return _opened_from(record_key, dek)
