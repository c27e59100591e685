"""Record keys: make one for a new sealed record, open it, seal to its inbox.

``new_record_key`` is not an action of its own: it runs inside the action that creates the
record (e.g. receiving a help request), whose audit event covers it. Opening a record writes
nothing either; the view that shows a case records the read (SECURITY.md: reads are audited).
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterable

from django.db import transaction

from safehaven.accounts.models import Team, User
from safehaven.core.crypto import (
    SealError,
    decrypt_with_key,
    derive_key,
    encrypt_with_key,
    new_data_key,
    new_key_pair,
    seal_field,
    wrap_key,
)
from safehaven.keys.exceptions import KeyActionRefused, RecordUnavailable
from safehaven.keys.keyring import (
    EscrowHolder,
    Holder,
    UserHolder,
    open_dek,
    record_info_for_escrow,
    record_info_for_user,
)
from safehaven.keys.models import (
    EscrowKey,
    RecordKey,
    RecordKeyWrap,
    RecordWrapKind,
    ShreddedRecord,
    TeamKey,
    UserKeyPair,
)
from safehaven.keys.opened import INBOX_PRIVATE_FIELD, OpenedRecord
from safehaven.keys.wrapping import binding, seal_to_inbox, wrap_for_team

CODENAME_WRAP_LABEL = "safehaven requester codename wrap v1"
KEY_ID = "k1"
Reader = Team | User


def current_escrow() -> EscrowKey | None:
    """The deployment's escrow key (``manage.py init_keys`` creates it), or None before."""
    return EscrowKey.objects.order_by("pk").first()


def normalise_codename(codename: str) -> str:
    """Case-fold and collapse whitespace, so "Apple  river" opens what "apple river" sealed.

    The intake app must normalise the same way before its lookup hash.
    """
    text = unicodedata.normalize("NFKC", codename).casefold()
    return " ".join(text.split())


def codename_key(codename: str, record_id: uuid.UUID) -> bytes:
    """The key a requester's codename gives for one record.

    HKDF does not slow guessing, so this is only as strong as the codename (>= 7 diceware words,
    about 90 bits). The record id goes into the secret as a salt, so one guess tests one record,
    never every record at once. It shares nothing with the peppered lookup hash.
    """
    normalised = normalise_codename(codename)
    if not normalised:
        raise ValueError("codename must not be empty")
    return derive_key(normalised.encode("utf-8") + b"\x00" + record_id.bytes, CODENAME_WRAP_LABEL)


def _codename_aad(record_id: uuid.UUID) -> bytes:
    return binding("record-codename", record_id)


def wrap_to_reader(record_key: RecordKey, dek: bytes, reader: Reader) -> RecordKeyWrap:
    """An unsaved wrap of ``dek`` to a user or to the active key of a team."""
    record_id = record_key.record_id
    if isinstance(reader, Team):
        team_key = TeamKey.objects.filter(team=reader, active=True).first()
        if team_key is None:
            raise KeyActionRefused(f"Team #{reader.pk} has no key yet: create its team key first.")
        envelope = wrap_for_team(record_id, team_key.pk, bytes(team_key.public_key), dek)
        return RecordKeyWrap(
            record_key=record_key,
            kind=RecordWrapKind.TEAM,
            team=reader,
            team_key=team_key,
            wrapped=envelope,
        )
    pair = UserKeyPair.objects.filter(user=reader).first()
    if pair is None:
        raise KeyActionRefused(f"User #{reader.pk} has no key pair yet.")
    return RecordKeyWrap(
        record_key=record_key,
        kind=RecordWrapKind.USER,
        user=reader,
        wrapped=wrap_key(bytes(pair.public_key), dek, record_info_for_user(record_id, reader.pk)),
        suspended=pair.suspended_at is not None,
    )


def new_record_key(
    record_id: uuid.UUID,
    *,
    readers: Iterable[Reader] = (),
    include_escrow: bool = True,
    codename: str | None = None,
) -> OpenedRecord:
    """Make the key of a new record and wrap it to ``readers``, escrow and the codename.

    Returns the opened record to seal its fields now; the DEK is never stored unwrapped and is
    gone when the returned object is. Call it inside the action that creates the record.
    """
    if not isinstance(record_id, uuid.UUID):
        raise TypeError("record_id must be a uuid.UUID")
    readers = list(readers)
    escrow = current_escrow() if include_escrow else None
    if include_escrow and escrow is None:
        raise KeyActionRefused("There is no escrow key yet: run `manage.py init_keys` first.")
    if not readers and escrow is None and codename is None:
        raise ValueError("a record nobody can open would be lost at once: name a reader")
    if ShreddedRecord.objects.filter(record_id=record_id).exists():
        raise KeyActionRefused("This record id was shredded and cannot be used again.")
    dek = new_data_key()
    inbox = new_key_pair()
    sealed_inbox_private = seal_field(dek, KEY_ID, record_id, INBOX_PRIVATE_FIELD, inbox.private)
    opened = OpenedRecord(
        record_id,
        dek,
        key_id=KEY_ID,
        sealed_inbox_private=sealed_inbox_private,
        inbox_public=inbox.public,
    )
    with transaction.atomic():
        record_key = RecordKey.objects.create(
            record_id=record_id,
            key_id=KEY_ID,
            inbox_public_key=inbox.public,
            sealed_inbox_private_key=sealed_inbox_private,
        )
        wraps = [wrap_to_reader(record_key, dek, reader) for reader in readers]
        if escrow is not None:
            info = record_info_for_escrow(record_id, escrow.pk)
            wraps.append(
                RecordKeyWrap(
                    record_key=record_key,
                    kind=RecordWrapKind.ESCROW,
                    escrow=escrow,
                    wrapped=wrap_key(bytes(escrow.public_key), dek, info),
                )
            )
        if codename is not None:
            key = codename_key(codename, record_id)
            wraps.append(
                RecordKeyWrap(
                    record_key=record_key,
                    kind=RecordWrapKind.CODENAME,
                    wrapped=encrypt_with_key(key, dek, _codename_aad(record_id)),
                )
            )
        RecordKeyWrap.objects.bulk_create(wraps)
    return opened


def _opened_from(record_key: RecordKey, dek: bytes) -> OpenedRecord:
    return OpenedRecord(
        record_key.record_id,
        dek,
        key_id=record_key.key_id,
        sealed_inbox_private=bytes(record_key.sealed_inbox_private_key),
        inbox_public=bytes(record_key.inbox_public_key),
    )


def _record_key(record_id: uuid.UUID) -> RecordKey:
    record_key = RecordKey.objects.filter(record_id=record_id).first()
    if record_key is None:
        raise RecordUnavailable("This record cannot be opened with your key.")
    return record_key


def open_record_with_holder(record_id: uuid.UUID, holder: Holder) -> OpenedRecord:
    record_key = _record_key(record_id)
    return _opened_from(record_key, open_dek(record_key, holder))


def open_record(record_id: uuid.UUID, *, user: User, private_key: bytes) -> OpenedRecord:
    """Open a record through a wrap to ``user`` or to a team whose key the user holds.

    ``private_key`` is the user's own (``unlocked_private_key(request)``). Raises
    RecordUnavailable whatever the reason, so a caller learns nothing more than "no".
    """
    return open_record_with_holder(record_id, UserHolder(user, private_key))


def open_record_with_escrow_holder(record_id: uuid.UUID, holder: EscrowHolder) -> OpenedRecord:
    return open_record_with_holder(record_id, holder)


def open_record_with_codename(record_id: uuid.UUID, codename: str) -> OpenedRecord:
    """Open a record as its requester, with the codename they were given at intake."""
    record_key = _record_key(record_id)
    wrap = RecordKeyWrap.objects.filter(
        record_key=record_key, kind=RecordWrapKind.CODENAME, suspended=False
    ).first()
    if wrap is None:
        raise RecordUnavailable("This record cannot be opened with this codename.")
    try:
        key = codename_key(codename, record_id)
        dek = decrypt_with_key(key, bytes(wrap.wrapped), _codename_aad(record_id))
    except (SealError, ValueError):
        raise RecordUnavailable("This record cannot be opened with this codename.") from None
    return _opened_from(record_key, dek)


def _session_aad(record_id: uuid.UUID, session_ref: str) -> bytes:
    return binding("record-session", record_id, session_ref)


def wrap_for_session(opened: OpenedRecord, session_key: bytes, session_ref: str) -> bytes:
    """The DEK of an opened record under a short-lived key held only by one browser.

    For a requester's status session: the server must open the record on every page of the
    session without keeping the codename, so the DEK is kept encrypted under a random key
    that lives only in the requester's cookie (the pattern of the staff login key). The blob
    alone, or the cookie alone, opens nothing. ``session_ref`` names the session (bound in).
    """
    return encrypt_with_key(
        session_key, opened.data_key_for_wrapping(), _session_aad(opened.record_id, session_ref)
    )


def open_record_with_session(
    record_id: uuid.UUID, session_key: bytes, wrapped: bytes, session_ref: str
) -> OpenedRecord:
    """Open a record through a :func:`wrap_for_session` blob; RecordUnavailable if the record
    was shredded or the key, blob or session do not match."""
    record_key = _record_key(record_id)
    try:
        dek = decrypt_with_key(session_key, bytes(wrapped), _session_aad(record_id, session_ref))
    except (SealError, ValueError):
        raise RecordUnavailable("This record cannot be opened in this session.") from None
    return _opened_from(record_key, dek)


def seal_for_inbox(record_id: uuid.UUID, field_name: str, plaintext: str | bytes) -> bytes:
    """Seal data arriving for a record with nobody present (requester messages, check-ins,
    automatic notices, partner API writes). Only someone who can open the record reads it:
    ``opened.open(field_name, blob)`` or ``record.sealed(field)`` on a sealed model."""
    record_key = RecordKey.objects.filter(record_id=record_id).first()
    if record_key is None:
        raise KeyActionRefused("This record has no key (never made, or shredded).")
    return seal_to_inbox(bytes(record_key.inbox_public_key), record_id, field_name, plaintext)


def can_open(record_id: uuid.UUID, *, user: User, private_key: bytes) -> bool:
    try:
        open_record(record_id, user=user, private_key=private_key)
    except RecordUnavailable:
        return False
    return True
