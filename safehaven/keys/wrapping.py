"""Bindings and envelopes built from the primitives in :mod:`safehaven.core.crypto`.

Every wrap names what it wraps and for whom (``binding``), so a wrap copied to another row,
record, team key or recipient fails to open. Two small envelope formats compose the
primitives; neither adds a cipher of its own:

* team envelopes: a record's DEK wrapped to a team key, possibly *layered* under newer
  versions after rotations (``D`` = direct HPKE wrap, ``L`` = one more layer);
* inbox envelopes: data sealed by the server to a record's inbox public key (HPKE-wrapped
  one-time key + an ordinary sealed field under it).
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Callable

from safehaven.core.crypto import (
    SealError,
    decrypt_with_key,
    encrypt_with_key,
    new_data_key,
    open_field,
    seal_field,
    unwrap_key,
    wrap_key,
)

_DIRECT = b"D"
_LAYERED = b"L"
_INBOX = 0x80  # sealed fields start with format version 1, so this first byte never clashes
_INBOX_KEY_ID = "inbox"
_ID = struct.Struct(">Q")
_LEN = struct.Struct(">H")
# Each rotation adds a layer to wraps nobody has opened since; far more than a team ever sees.
MAX_LAYERS = 256


def binding(*parts: object) -> bytes:
    """Length-prefixed, domain-separated bytes naming what a wrap or blob is bound to."""
    out = bytearray(b"safehaven/keys\x00")
    for part in parts:
        if isinstance(part, uuid.UUID):
            data = part.bytes
        elif isinstance(part, bytes):
            data = part
        else:
            data = str(part).encode("utf-8")
        out += _LEN.pack(len(data)) + data
    return bytes(out)


# --- Team envelopes ------------------------------------------------------------------------


def wrap_for_team(record_id: uuid.UUID, team_key_id: int, team_public: bytes, dek: bytes) -> bytes:
    """Wrap a record's DEK directly to one team key version."""
    info = binding("record-team", record_id, team_key_id)
    return _DIRECT + wrap_key(team_public, dek, info)


def add_team_layer(
    envelope: bytes,
    *,
    record_id: uuid.UUID,
    inner_team_key_id: int,
    outer_team_key_id: int,
    outer_public: bytes,
) -> bytes:
    """Wrap an existing team envelope once more, under a newer team key.

    Needs only the new *public* key, so a background task can do it with nobody present; the
    result opens only for someone holding the new private key (and the older ones, which every
    remaining member and escrow keep).
    """
    layer_key = new_data_key()
    info = binding("record-team-layer", record_id, outer_team_key_id)
    wrapped_layer_key = wrap_key(outer_public, layer_key, info)
    inner = _ID.pack(inner_team_key_id) + bytes(envelope)
    sealed_inner = encrypt_with_key(layer_key, inner, info)
    return _LAYERED + _LEN.pack(len(wrapped_layer_key)) + wrapped_layer_key + sealed_inner


def open_team_envelope(
    envelope: bytes,
    *,
    record_id: uuid.UUID,
    team_key_id: int,
    private_for: Callable[[int], bytes | None],
) -> bytes:
    """Peel every layer and return the DEK. ``private_for(team_key_id)`` gives a team private
    key the caller holds, or None; any missing key or bad layer raises SealError."""
    envelope = bytes(envelope)
    for _layer in range(MAX_LAYERS):
        private = private_for(team_key_id)
        if private is None:
            raise SealError("team key not held")
        marker, body = envelope[:1], envelope[1:]
        if marker == _DIRECT:
            return unwrap_key(private, body, binding("record-team", record_id, team_key_id))
        if marker != _LAYERED or len(body) < _LEN.size:
            raise SealError("team envelope is malformed")
        (wrap_length,) = _LEN.unpack_from(body)
        wrapped_layer_key = body[_LEN.size : _LEN.size + wrap_length]
        info = binding("record-team-layer", record_id, team_key_id)
        layer_key = unwrap_key(private, wrapped_layer_key, info)
        inner = decrypt_with_key(layer_key, body[_LEN.size + wrap_length :], info)
        if len(inner) <= _ID.size:
            raise SealError("team envelope is malformed")
        (team_key_id,) = _ID.unpack_from(inner)
        envelope = inner[_ID.size :]
    raise SealError("team envelope has too many layers")


# --- Inbox envelopes -----------------------------------------------------------------------


def seal_to_inbox(
    inbox_public: bytes, record_id: uuid.UUID, field_name: str, plaintext: str | bytes
) -> bytes:
    """Seal ``plaintext`` so that only the record's inbox private key opens it."""
    one_time_key = new_data_key()
    info = binding("inbox", record_id, field_name)
    wrapped = wrap_key(inbox_public, one_time_key, info)
    sealed = seal_field(one_time_key, _INBOX_KEY_ID, record_id, field_name, plaintext)
    return bytes([_INBOX]) + _LEN.pack(len(wrapped)) + wrapped + sealed


def is_inbox_blob(sealed: bytes) -> bool:
    return len(sealed) > 0 and sealed[0] == _INBOX


def open_inbox_blob(
    inbox_private: bytes, record_id: uuid.UUID, field_name: str, sealed: bytes
) -> bytes:
    sealed = bytes(sealed)
    if not is_inbox_blob(sealed) or len(sealed) < 1 + _LEN.size:
        raise SealError("inbox blob is malformed")
    (wrap_length,) = _LEN.unpack_from(sealed, 1)
    start = 1 + _LEN.size
    wrapped, rest = sealed[start : start + wrap_length], sealed[start + wrap_length :]
    one_time_key = unwrap_key(inbox_private, wrapped, binding("inbox", record_id, field_name))
    return open_field(one_time_key, record_id, field_name, rest)
