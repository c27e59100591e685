"""Truncated blind indexes: duplicate *hints* over sealed phone, e-mail, handle and name fields.

A blind index is a short keyed hash of a normalised value, stored next to the sealed field so
that intake can say "this may be the same person as case X" without decrypting every case. It
gives candidates, never proof; see :func:`blind_index` for what it does and does not hide.

Pure Python, no Django import; the pepper comes from settings (``_FILE``) via the caller.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from safehaven.core.crypto import MIN_PEPPER_SIZE, derive_key, hmac_digest


class BlindIndexKind(StrEnum):
    """What a blind index was computed from; also the label of its own pepper."""

    PHONE = "phone"
    EMAIL = "email"
    HANDLE = "handle"
    NAME = "name"


_PHONE_SEPARATORS = re.compile(r"[\s\-.()/]+")


def _normalise_phone(value: str) -> str:
    text = _PHONE_SEPARATORS.sub("", value)
    if text.startswith("+"):
        text = text[1:]
    elif text.startswith("00"):
        text = text[2:]
    # Accept any script's decimal digits (Arabic-Indic, Persian, ...) as people type them.
    if not text or not all(ch.isdecimal() for ch in text):
        raise ValueError("phone number contains characters other than digits and separators")
    digits = "".join(str(unicodedata.decimal(ch)) for ch in text)
    if not 7 <= len(digits) <= 15:
        raise ValueError("phone number must have 7..15 digits in international form")
    return digits


def normalise_for_index(kind: BlindIndexKind, value: str) -> str:
    """Normalise ``value`` the way :func:`blind_index` does before hashing.

    * PHONE: international (E.164) digits only. Spaces, dashes, dots, slashes and parentheses
      are dropped, then a leading ``+`` or ``00`` (international prefix); any other character is
      refused. ``+7 (912) 345-67-89`` and ``0079123456789`` both give ``79123456789``. National
      forms (``8 912 ...``, ``0912 ...``) are NOT rewritten: that needs the country, which the
      caller must prepend.
    * EMAIL: trimmed and case-folded; no provider rules (dots, ``+tag``) are applied.
    * HANDLE: whitespace and leading ``@`` removed, case-folded.
    * NAME: case-folded, accents removed (NFKD, combining marks dropped), whitespace collapsed;
      word order is kept, so "Pérez José" differs from "José Pérez".

    Raises ValueError when nothing usable is left; the message never contains the value.
    """
    kind = BlindIndexKind(kind)
    # NFKC folds full-width and compatibility forms (e.g. from CJK keyboards) to plain ones.
    text = unicodedata.normalize("NFKC", value)
    if kind is BlindIndexKind.PHONE:
        result = _normalise_phone(text)
    elif kind is BlindIndexKind.EMAIL:
        result = text.strip().casefold()
    elif kind is BlindIndexKind.HANDLE:
        result = "".join(text.split()).lstrip("@").casefold()
    else:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        result = " ".join(unicodedata.normalize("NFC", bare).split())
    if not result:
        raise ValueError(f"{kind} value is empty after normalisation")
    return result


def blind_index(kind: BlindIndexKind, value: str, pepper: bytes, bits: int = 18) -> int:
    """Return a ``bits``-bit (16..20) keyed hash of the normalised value, for duplicate hints.

    A match is a candidate, never proof; what truncation hides and what it does not (a
    suspect can be tested with the pepper): SECURITY.md, flaw 2 under "Keys". Each kind hashes
    under its own pepper derived from ``pepper``, so phone and name indexes never share a space.
    """
    if isinstance(bits, bool) or not isinstance(bits, int) or not 16 <= bits <= 20:
        raise ValueError("bits must be an integer from 16 to 20")
    # Checked here too: the raw pepper goes through HKDF first, which accepts any length.
    if not isinstance(pepper, bytes) or len(pepper) < MIN_PEPPER_SIZE:
        raise ValueError(f"pepper must be at least {MIN_PEPPER_SIZE} bytes")
    kind = BlindIndexKind(kind)
    normalised = normalise_for_index(kind, value)
    kind_pepper = derive_key(pepper, f"blind-index:{kind}")
    digest = hmac_digest(kind_pepper, f"{kind}:{normalised}")
    return int.from_bytes(digest[:4], "big") >> (32 - bits)
