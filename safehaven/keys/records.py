"""Record keys: make one for a new sealed record, open it, seal to its inbox.

``new_record_key`` is not an action of its own: it runs inside the action that creates the
record (e.g. receiving a help request), whose audit event covers it. Opening a record writes
nothing either; the view that shows a case records the read (SECURITY.md: reads are audited).

``new_record_key`` is ``prepare_record_key`` (reads and cryptography, no write) followed by
``store_record_key`` (the inserts). An action that must keep its write transaction short (public
intake on SQLite, where a write transaction locks the database) prepares first, then stores in
its transaction after checking there that the team keys it wrapped to are still active.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NoReturn

from django.db import transaction
from django.db.models import Max

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
from safehaven.core.inserts import PreparedRows, prepare_inserts, run_inserts
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
from safehaven.keys.public_key_tags import checked_public_key, refuse_tampered
from safehaven.keys.team_key_versions import why_not_current
from safehaven.keys.wrapping import binding, seal_to_inbox, wrap_for_team

CODENAME_WRAP_LABEL = "safehaven requester codename wrap v1"
KEY_ID = "k1"
Reader = Team | User


def current_escrow() -> EscrowKey | None:
    """The deployment's escrow key (``manage.py init_keys`` creates it), or None before."""
    return EscrowKey.objects.order_by("pk").first()


# What a keyboard may put between words: spaces, dashes of every kind, soft hyphens, dots,
# commas, slashes. The word list has words like "t-shirt"; typed as "t shirt", "T-SHIRT" or
# "t-shirt", each must open what the others sealed.
WORD_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u00ad_.,;:/]+")


def normalise_codename(codename: str) -> str:
    """Case-fold, unify look-alike characters, and make any run of separators one space, so
    "Apple  River" and "apple-river" open what "apple river" sealed.

    The intake app normalises codenames (and phrases) this same way before its lookup hash
    (``intake.codename.normalise_words``)."""
    text = unicodedata.normalize("NFKC", codename).casefold()
    return " ".join(part for part in WORD_SEPARATORS.split(text) if part)


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


def _reader_key(reader: Reader) -> TeamKey | UserKeyPair:
    """The key a new wrap to ``reader`` goes to: a team's active key or a user's key pair,
    its public key checked (PublicKeyTampered otherwise)."""
    key: TeamKey | UserKeyPair | None
    if isinstance(reader, Team):
        # At most one active key per team (a constraint), so no ordering is needed.
        key = TeamKey.objects.filter(team=reader, active=True).order_by("pk").first()
        if key is None:
            raise KeyActionRefused(f"Team #{reader.pk} has no key yet: create its team key first.")
        newest = TeamKey.objects.filter(team=reader).aggregate(newest=Max("version"))["newest"]
        problem = why_not_current(reader.pk, key.version, newest or key.version)
        if problem is not None:
            refuse_tampered(key, reason=problem)
    else:
        key = UserKeyPair.objects.filter(user=reader).first()
        if key is None:
            raise KeyActionRefused(f"User #{reader.pk} has no key pair yet.")
    checked_public_key(key)
    return key


def _wrap_with(
    record_key: RecordKey, dek: bytes, key: TeamKey | UserKeyPair, reader: Reader | None = None
) -> RecordKeyWrap:
    """An unsaved wrap of ``dek`` to a team key version or a user's key pair (``reader``, the
    team or the user, is only set on the row when given; its id always is)."""
    record_id = record_key.record_id
    if isinstance(key, TeamKey):
        envelope = wrap_for_team(record_id, key.pk, bytes(key.public_key), dek)
        wrap = RecordKeyWrap(
            record_key=record_key,
            kind=RecordWrapKind.TEAM,
            team_id=key.team_id,
            team_key=key,
            wrapped=envelope,
        )
        if isinstance(reader, Team):
            wrap.team = reader
        return wrap
    wrap = RecordKeyWrap(
        record_key=record_key,
        kind=RecordWrapKind.USER,
        user_id=key.user_id,
        wrapped=wrap_key(bytes(key.public_key), dek, record_info_for_user(record_id, key.user_id)),
        suspended=key.suspended_at is not None,
    )
    if isinstance(reader, User):
        wrap.user = reader
    return wrap


def wrap_to_reader(record_key: RecordKey, dek: bytes, reader: Reader) -> RecordKeyWrap:
    """An unsaved wrap of ``dek`` to a user or to the active key of a team."""
    return _wrap_with(record_key, dek, _reader_key(reader), reader)


@dataclass(eq=False, repr=False)
class PreparedRecordKey:
    """A new record's key, wrapped to its readers, escrow and the codename, not saved yet.

    Made with reads and cryptography only (no write), so that it can be made before the
    transaction that stores the record, keeping that transaction short; ``store_record_key``
    saves it. The team keys it was wrapped to were active when it was made: a caller that
    stores it in a later transaction checks there that they still are (as intake does with
    ``recipients.keys_unchanged``), since a team key rotated meanwhile must not receive a new
    record.
    """

    opened: OpenedRecord
    record_key: RecordKey
    wraps: list[RecordKeyWrap]
    # Their INSERTs, made now too: the storing transaction only runs them.
    rows: tuple[PreparedRows, ...]

    def __repr__(self) -> str:
        return f"<PreparedRecordKey {self.record_key.record_id} (key hidden)>"

    def __reduce__(self) -> NoReturn:
        raise TypeError("PreparedRecordKey holds a data key and cannot be pickled or stored.")


def prepare_record_key(
    record_id: uuid.UUID,
    *,
    readers: Iterable[Reader] = (),
    include_escrow: bool = True,
    codename: str | None = None,
) -> PreparedRecordKey:
    """Make the key of a new record and its wraps, looking up the readers' keys and escrow,
    without saving anything (see :func:`new_record_key` and :class:`PreparedRecordKey`)."""
    if not isinstance(record_id, uuid.UUID):
        raise TypeError("record_id must be a uuid.UUID")
    readers = list(readers)
    escrow = current_escrow() if include_escrow else None
    if include_escrow and escrow is None:
        raise KeyActionRefused("There is no escrow key yet: run `manage.py init_keys` first.")
    if not readers and escrow is None and codename is None:
        raise ValueError("a record nobody can open would be lost at once: name a reader")
    _refuse_shredded(record_id)
    reader_keys = [(_reader_key(reader), reader) for reader in readers]
    if escrow is not None:
        checked_public_key(escrow)
    return _prepare(record_id, reader_keys, escrow=escrow, codename=codename)


def prepare_record_key_with(
    record_id: uuid.UUID,
    *,
    team_keys: Iterable[TeamKey],
    escrow: EscrowKey,
    codename: str | None = None,
    record_id_is_new: bool = False,
) -> PreparedRecordKey:
    """Like :func:`prepare_record_key` for a caller that holds the team key versions and the
    escrow key already (e.g. from an earlier request): it must have checked their public keys
    (``public_key_tags.checked_public_key``; intake's ``recipients`` does once per read) and
    must check in the storing transaction that those keys are all still active.

    ``record_id_is_new``: the id was just drawn at random (uuid4) for a record not stored yet,
    so no shredded record can have had it and the shred list need not be read."""
    if not isinstance(record_id, uuid.UUID):
        raise TypeError("record_id must be a uuid.UUID")
    if not (record_id_is_new and record_id.version == 4):
        _refuse_shredded(record_id)
    reader_keys: list[tuple[TeamKey | UserKeyPair, Reader | None]] = [
        (team_key, None) for team_key in team_keys
    ]
    return _prepare(record_id, reader_keys, escrow=escrow, codename=codename)


def _refuse_shredded(record_id: uuid.UUID) -> None:
    if ShreddedRecord.objects.filter(record_id=record_id).exists():
        raise KeyActionRefused("This record id was shredded and cannot be used again.")


def _prepare(
    record_id: uuid.UUID,
    reader_keys: Sequence[tuple[TeamKey | UserKeyPair, Reader | None]],
    *,
    escrow: EscrowKey | None,
    codename: str | None,
) -> PreparedRecordKey:
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
    record_key = RecordKey(
        record_id=record_id,
        key_id=KEY_ID,
        inbox_public_key=inbox.public,
        sealed_inbox_private_key=sealed_inbox_private,
    )
    wraps = [_wrap_with(record_key, dek, key, reader) for key, reader in reader_keys]
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
    return PreparedRecordKey(
        opened=opened,
        record_key=record_key,
        wraps=wraps,
        rows=prepare_inserts([record_key], wraps),
    )


def store_record_key(prepared: PreparedRecordKey) -> OpenedRecord:
    """Save a prepared record key and its wraps (inside the action that creates the record)."""
    # No savepoint: a failure here fails the caller's whole transaction anyway.
    with transaction.atomic(savepoint=False):
        run_inserts(prepared.rows)
    return prepared.opened


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
    prepared = prepare_record_key(
        record_id, readers=readers, include_escrow=include_escrow, codename=codename
    )
    return store_record_key(prepared)


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
    return seal_to_inbox(checked_public_key(record_key), record_id, field_name, plaintext)


def can_open(record_id: uuid.UUID, *, user: User, private_key: bytes) -> bool:
    try:
        open_record(record_id, user=user, private_key=private_key)
    except RecordUnavailable:
        return False
    return True
