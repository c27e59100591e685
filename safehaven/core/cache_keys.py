"""Cache keys that name no one.

allauth keys its login rate limits by the client's address (and some by the typed e-mail), and
the database cache stores each key in clear, in a row that stays until that very key is read
again or the table grows past its limit. So a staff member's address would stay in the
database long after their login, next to an audit log that says when they logged in. Every key
is stored as an HMAC instead, under a key derived from ``SECRET_KEY``: the app servers, which
share it, agree on every key; the database alone tells nothing.
"""

import hmac
from functools import lru_cache
from hashlib import sha256

from django.conf import settings

from safehaven.core.crypto import derive_key

CACHE_KEY_LABEL = "safehaven cache keys v1"


@lru_cache(maxsize=4)
def _hmac_key(secret_key: str) -> bytes:
    return derive_key(secret_key.encode("utf-8"), CACHE_KEY_LABEL)


def hashed_cache_key(key: str, key_prefix: str, version: int | str) -> str:
    """``CACHES[...]["KEY_FUNCTION"]``: Django's ``prefix:version:key`` with the key hashed."""
    digest = hmac.new(_hmac_key(settings.SECRET_KEY), key.encode("utf-8"), sha256).hexdigest()
    return f"{key_prefix}:{version}:{digest}"
