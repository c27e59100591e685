"""Keyed digests intake stores or compares: referral codes, check-in phrases, status sessions.

Each has its own key derived from the codename pepper (HKDF, distinct labels), so none of them
equals, or helps to compute, the codename lookup hash or any other.
"""

from __future__ import annotations

import hashlib
import re
import uuid

from django.conf import settings

from safehaven.core.crypto import derive_key, hmac_digest

REFERRAL_LABEL = "safehaven referral code v1"
PHRASE_LABEL = "safehaven check-in phrase v1"
_WHITESPACE = re.compile(r"\s+")


def normalise_referral_code(code: str) -> str:
    """Upper case without spaces, the way the request form cleans what a person types."""
    return _WHITESPACE.sub("", code).upper()


def referral_code_hash(code: str) -> str:
    key = derive_key(settings.CODENAME_PEPPER, REFERRAL_LABEL)
    return hmac_digest(key, normalise_referral_code(code)).hex()


def phrase_digest(record_id: uuid.UUID, phrase: str) -> str:
    """Digest of a normalised check-in or danger phrase, bound to one request. Stored sealed
    under the request's key, so only a reader of the request can even try to match it."""
    key = derive_key(settings.CODENAME_PEPPER, PHRASE_LABEL)
    return hmac_digest(key, f"{record_id}\x00{phrase}").hex()


def session_hash(session_id: bytes) -> str:
    # The session id is 128 random bits: a plain hash is enough to keep it out of the table.
    return hashlib.sha256(session_id).hexdigest()
