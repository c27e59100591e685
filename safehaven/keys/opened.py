"""``OpenedRecord``: a record's data key held in memory for the length of one request.

It is the only object that ever holds a DEK unwrapped. It never reaches the database, a
session, a cache, a task argument, a log or an error page: its repr shows the record id only,
and it refuses to be pickled.
"""

from __future__ import annotations

import uuid
from typing import NoReturn

from safehaven.core.crypto import (
    SealError,
    derive_key,
    open_field,
    open_text,
    public_key_from_private,
    seal_field,
)
from safehaven.keys.wrapping import is_inbox_blob, open_inbox_blob

INBOX_PRIVATE_FIELD = "keys.record-key.inbox-private"
AUDIT_REF_LABEL = "safehaven audit record ref v1"


class OpenedRecord:
    """The unwrapped DEK of one record, with seal/open helpers bound to that record."""

    __slots__ = (
        "_data_key",
        "_inbox_private",
        "_inbox_public",
        "_sealed_inbox_private",
        "key_id",
        "record_id",
    )

    def __init__(
        self,
        record_id: uuid.UUID,
        data_key: bytes,
        *,
        key_id: str,
        sealed_inbox_private: bytes,
        inbox_public: bytes,
    ) -> None:
        self.record_id = record_id
        self.key_id = key_id
        self._data_key = data_key
        self._sealed_inbox_private = bytes(sealed_inbox_private)
        self._inbox_public = bytes(inbox_public)
        self._inbox_private: bytes | None = None

    def __repr__(self) -> str:
        return f"<OpenedRecord {self.record_id} (key hidden)>"

    def __reduce__(self) -> NoReturn:
        # A pickled OpenedRecord would put the DEK in a cache, session or task row in clear.
        raise TypeError("OpenedRecord holds a data key and cannot be pickled or stored.")

    def seal(self, field_name: str, plaintext: str | bytes) -> bytes:
        """Seal a value for ``field_name`` of this record under its DEK."""
        return seal_field(self._data_key, self.key_id, self.record_id, field_name, plaintext)

    def open(self, field_name: str, sealed: bytes, *, allow_inbox: bool = False) -> bytes:
        """Open a value sealed for ``field_name`` of this record under the DEK, or under the
        inbox key where the field takes arrivals (``allow_inbox``); raise SealError otherwise.

        The inbox public key is in clear, so anyone who can write to the database can seal to
        it: only fields meant for arrivals may accept such blobs, or a forged inbox blob could
        replace a value staff sealed.
        """
        sealed = bytes(sealed)
        if is_inbox_blob(sealed):
            if not allow_inbox:
                raise SealError("this field does not accept inbox arrivals")
            return open_inbox_blob(self.inbox_private_key(), self.record_id, field_name, sealed)
        return open_field(self._data_key, self.record_id, field_name, sealed)

    def open_text(self, field_name: str, sealed: bytes, *, allow_inbox: bool = False) -> str:
        sealed = bytes(sealed)
        if is_inbox_blob(sealed):
            raw = self.open(field_name, sealed, allow_inbox=allow_inbox)
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                raise SealError("sealed field does not contain UTF-8 text") from None
        return open_text(self._data_key, self.record_id, field_name, sealed)

    def inbox_private_key(self) -> bytes:
        if self._inbox_private is None:
            private = self.open(INBOX_PRIVATE_FIELD, self._sealed_inbox_private)
            # The public half is stored in clear: if someone swapped it, arrivals would have
            # been sealed to their key. Refuse rather than trust a mismatched pair.
            if public_key_from_private(private) != self._inbox_public:
                raise SealError("the record's inbox public key does not match its private key")
            self._inbox_private = private
        return self._inbox_private

    def audit_ref_key(self) -> bytes:
        """The key that names this record in the audit log's requester events
        (``core.audit_requester``). Derived from the DEK with a label of its own, so it opens
        nothing, and nobody can derive it once the record is shredded."""
        return derive_key(self._data_key, AUDIT_REF_LABEL)

    def data_key_for_wrapping(self) -> bytes:
        """The DEK itself, for the key layer to wrap to a new reader. Nothing else calls it."""
        return self._data_key
