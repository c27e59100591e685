"""Per-address rate limits for anonymous requesters, in process memory only (SECURITY.md).

A client address is never stored, logged or sent to the database: counters are keyed by an
HMAC-SHA256 of the address under a random key that this process makes and replaces every hour.
When the key changes, every counter is dropped (they can no longer be reached), so nothing links
one hour's visitors to the next. The cost is that each hour starts with fresh budgets, which is
no more lenient than the fixed hourly windows themselves.

Limits are per app server: several servers each count on their own.

An IPv6 address counts by its /64 network: one subscriber, phone or server usually gets a whole
/64, so counting single addresses would give anyone billions of budgets. An IPv4 address
written as IPv6 (``::ffff:192.0.2.1``) counts as that IPv4 address.
"""

import enum
import ipaddress
import math
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings

from safehaven.core.crypto import hmac_digest

KEY_LIFETIME = 3600
MAX_ENTRIES = 100_000


class Bucket(enum.StrEnum):
    SUBMIT_WITH_POW = "submit_with_pow"
    SUBMIT_WITHOUT_POW = "submit_without_pow"
    # Submissions without a stamp from all addresses together: someone with very many
    # addresses cannot flood intake without proof-of-work. Counted under ANYONE.
    SUBMIT_WITHOUT_POW_ANYONE = "submit_without_pow_anyone"
    CODENAME = "codename"


ANYONE = "anyone"


def address_group(address: str) -> str:
    """What one budget is counted for: an IPv4 address, or the /64 network of an IPv6 one."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address  # not an address (a test client, a misconfigured proxy): as it is
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


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
        # (bucket, keyed address) -> [window start, count]; oldest window first. An OrderedDict,
        # because dropping the oldest entries from the front of a plain dict gets slower with
        # every entry dropped (a flood from many addresses keeps dropping them).
        self._counters: OrderedDict[tuple[str, bytes], list[int]] = OrderedDict()

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
            return hmac_digest(self._key, address_group(address))

    def hit(self, bucket: str, address: str) -> Decision:
        """Count one attempt; ``allowed`` is False once the window's budget is used up."""
        limit, window = self.limit(bucket)
        now = self._clock()
        window_start = int(now // window) * window
        retry_after = max(1, math.ceil(window_start + window - now))
        with self._lock:
            self._rotate_key(now)
            key = (bucket, hmac_digest(self._key, address_group(address)))
            counter = self._counters.get(key)
            if counter is None or counter[0] != window_start:
                if counter is None:
                    self._make_room(now)
                counter = [window_start, 0]
                self._counters[key] = counter
                self._counters.move_to_end(key)
            if counter[1] >= limit:
                return Decision(allowed=False, retry_after=retry_after)
            counter[1] += 1
            return Decision(allowed=True, retry_after=retry_after)

    def _make_room(self, now: float) -> None:
        """Drop counters whose window has ended from the oldest end, then, if still full (a
        flood from very many addresses), the oldest counters: those addresses start afresh,
        which per-address limits cannot prevent then anyway. Each counter is dropped once, so
        this costs little per new counter however full the limiter is."""
        counters = self._counters
        windows: dict[str, int] = {}
        while counters:
            (bucket, _address), (window_start, _count) = next(iter(counters.items()))
            if bucket not in windows:
                windows[bucket] = self.limit(bucket)[1]
            if window_start + windows[bucket] > now and len(counters) < self.max_entries:
                return
            counters.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._counters.clear()

    def __len__(self) -> int:
        return len(self._counters)

    def __repr__(self) -> str:
        # Keep the key out of logs and debug pages.
        return f"RateLimiter(<{len(self._counters)} counters>)"


LIMITER = RateLimiter()
