"""``OpenedRecord``: a record's data key held in memory for the length of one request.

It is the only object that ever holds a DEK unwrapped. It never reaches the database, a
session, a cache, a task argument, a log or an error page: its repr shows the record id only,
and it refuses to be pickled.
"""

from __future__ import annotations

import uuid
from typing import NoReturn

from safehaven.core.crypto import SealError, open_field, open_text, seal_field
from safehaven.keys.wrapping import is_inbox_blob, open_inbox_blob

INBOX_PRIVATE_FIELD = "keys.record-key.inbox-private"


class OpenedRecord:
    """The unwrapped DEK of one record, with seal/open helpers bound to that record."""

    __slots__ = ("_data_key", "_inbox_private", "_sealed_inbox_private", "key_id", "record_id")

    def __init__(
        self,
        record_id: uuid.UUID,
        data_key: bytes,
        *,
        key_id: str,
        sealed_inbox_private: bytes,
    ) -> None:
        self.record_id = record_id
        self.key_id = key_id
        self._data_key = data_key
        self._sealed_inbox_private = bytes(sealed_inbox_private)
        self._inbox_private: bytes | None = None

    def __repr__(self) -> str:
        return f"<OpenedRecord {self.record_id} (key hidden)>"

    def __reduce__(self) -> NoReturn:
        # A pickled OpenedRecord would put the DEK in a cache, session or task row in clear.
        raise TypeError("OpenedRecord holds a data key and cannot be pickled or stored.")

    def seal(self, field_name: str, plaintext: str | bytes) -> bytes:
        """Seal a value for ``field_name`` of this record under its DEK."""
        return seal_field(self._data_key, self.key_id, self.record_id, field_name, plaintext)

    def open(self, field_name: str, sealed: bytes) -> bytes:
        """Open a value sealed for ``field_name`` of this record, under the DEK or the inbox
        key (whichever sealed it); raise SealError if it was sealed for anything else."""
        sealed = bytes(sealed)
        if is_inbox_blob(sealed):
            return open_inbox_blob(self.inbox_private_key(), self.record_id, field_name, sealed)
        return open_field(self._data_key, self.record_id, field_name, sealed)

    def open_text(self, field_name: str, sealed: bytes) -> str:
        sealed = bytes(sealed)
        if is_inbox_blob(sealed):
            raw = self.open(field_name, sealed)
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                raise SealError("sealed field does not contain UTF-8 text") from None
        return open_text(self._data_key, self.record_id, field_name, sealed)

    def inbox_private_key(self) -> bytes:
        if self._inbox_private is None:
            self._inbox_private = self.open(INBOX_PRIVATE_FIELD, self._sealed_inbox_private)
        return self._inbox_private

    def data_key_for_wrapping(self) -> bytes:
        """The DEK itself, for the key layer to wrap to a new reader. Nothing else calls it."""
        return self._data_key
