"""Per-address rate limits for anonymous requesters, in process memory only (SECURITY.md).

A client address is never stored, logged or sent to the database: counters are keyed by an
HMAC-SHA256 of the address under a random key that this process makes and replaces every hour.
When the key changes, every counter is dropped (they can no longer be reached), so nothing links
one hour's visitors to the next. The cost is that each hour starts with fresh budgets, which is
no more lenient than the fixed hourly windows themselves.

Limits are per app server: several servers each count on their own.
"""

import enum
import math
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings

from safehaven.core.crypto import hmac_digest

KEY_LIFETIME = 3600
MAX_ENTRIES = 100_000


class Bucket(enum.StrEnum):
    SUBMIT_WITH_POW = "submit_with_pow"
    SUBMIT_WITHOUT_POW = "submit_without_pow"
    CODENAME = "codename"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # seconds until the current window ends


class RateLimiter:
    """Fixed-window counters per (bucket, keyed address). Thread-safe and bounded."""

    def __init__(
        self,
        limits: Mapping[str, tuple[int, int]] | None = None,
        *,
        clock: Callable[[], float] = time.time,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self._limits = limits
        self._clock = clock
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._key = secrets.token_bytes(32)
        self._key_period = -1
        # (bucket, keyed address) -> [window start, count]; insertion order = oldest first.
        self._counters: dict[tuple[str, bytes], list[int]] = {}

    def limit(self, bucket: str) -> tuple[int, int]:
        # Read each time so that a settings override in tests takes effect at once.
        limits = settings.INTAKE_RATE_LIMITS if self._limits is None else self._limits
        count, window = limits[bucket]
        if count < 0 or not 0 < window <= KEY_LIFETIME:
            raise ValueError(f"rate limit {bucket!r} needs a count >= 0 and a window of 1-3600 s")
        return int(count), int(window)

    def _rotate_key(self, now: float) -> None:
        period = int(now // KEY_LIFETIME)
        if period != self._key_period:
            self._key = secrets.token_bytes(32)
            self._key_period = period
            self._counters.clear()

    def keyed(self, address: str) -> bytes:
        """The only form of an address that this module keeps."""
        with self._lock:
            self._rotate_key(self._clock())
            return hmac_digest(self._key, address)

    def hit(self, bucket: str, address: str) -> Decision:
        """Count one attempt; ``allowed`` is False once the window's budget is used up."""
        limit, window = self.limit(bucket)
        now = self._clock()
        window_start = int(now // window) * window
        retry_after = max(1, math.ceil(window_start + window - now))
        with self._lock:
            self._rotate_key(now)
            key = (bucket, hmac_digest(self._key, address))
            counter = self._counters.get(key)
            if counter is None or counter[0] != window_start:
                self._make_room(now)
                counter = [window_start, 0]
                self._counters.pop(key, None)
                self._counters[key] = counter
            if counter[1] >= limit:
                return Decision(allowed=False, retry_after=retry_after)
            counter[1] += 1
            return Decision(allowed=True, retry_after=retry_after)

    def _make_room(self, now: float) -> None:
        if len(self._counters) < self.max_entries:
            return
        self._counters = {
            key: counter
            for key, counter in self._counters.items()
            if counter[0] + self.limit(key[0])[1] > now
        }
        # Still full: a flood from very many addresses. Forgetting the oldest counters lets
        # those addresses start afresh, which per-address limits cannot prevent anyway then.
        while len(self._counters) >= self.max_entries:
            del self._counters[next(iter(self._counters))]

    def clear(self) -> None:
        with self._lock:
            self._counters.clear()

    def __len__(self) -> int:
        return len(self._counters)

    def __repr__(self) -> str:
        # Keep the key out of logs and debug pages.
        return f"RateLimiter(<{len(self._counters)} counters>)"


LIMITER = RateLimiter()
