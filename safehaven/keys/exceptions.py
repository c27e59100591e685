"""Errors of the key layer. Messages are fixed text: never a key, a value or a password."""

from __future__ import annotations


class KeysError(Exception):
    """Base class for every error raised by the key layer."""


class KeyActionRefused(KeysError):
    """A key action cannot be done; the message says why in words an administrator can act on."""


class RecordUnavailable(KeysError):
    """A record cannot be opened with what the caller holds.

    Deliberately one error for "no grant", "grant suspended", "wrong private key" and "record
    shredded": the caller must not learn more than that it cannot open the record.
    """


class SealedValueUnavailable(KeysError):
    """A sealed field was read before the record's key was opened for this object."""
