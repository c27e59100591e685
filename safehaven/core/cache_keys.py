"""Cache keys that name no one.

Every cache key (allauth's rate limits name addresses and e-mails) is stored as an HMAC under
a key derived from ``SECRET_KEY``, which the app servers share. Why: SECURITY.md, "What is
sealed and what is in clear" (``safehaven_cache``).
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
