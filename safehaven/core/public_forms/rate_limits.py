"""Per-address rate limits for anonymous forms, in process memory only.

Why: SECURITY.md, "Public intake and the status page" (rate limits). Counters are keyed by an
HMAC of the address under a key this process replaces every hour, dropping every counter; an
IPv6 address counts by its /64, an IPv4-mapped one as IPv4, a proxy's port or brackets ignored.
"""

import ipaddress
import math
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from safehaven.core.crypto import hmac_digest

KEY_LIFETIME = 3600
MAX_ENTRIES = 100_000


def _parsed(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address, without the port or brackets some proxies add (``[2001:db8::1]:443``,
    ``192.0.2.1:5678``), an IPv4-mapped IPv6 address as IPv4; None if it is no address."""
    text = address.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return parsed.ipv4_mapped
    return parsed


def address_group(address: str) -> str:
    """What one budget is counted for: an IPv4 address, or the /64 network of an IPv6 one."""
    parsed = _parsed(address)
    if parsed is None:
        return address  # not an address (a test client, a misconfigured proxy): as it is
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def network_of(address: str) -> str:
    """The wider network an address belongs to: its IPv4 /24 or IPv6 /48 (what one customer,
    data centre row or provider block usually has)."""
    parsed = _parsed(address)
    if parsed is None:
        return address
    prefix = 24 if isinstance(parsed, ipaddress.IPv4Address) else 48
    return str(ipaddress.ip_network((parsed, prefix), strict=False))


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # seconds until the current window ends
    # The first refusal of this counter in its window (for a log line once, not per request).
    first_refusal: bool = False


class RateLimiter:
    """Fixed-window counters per (bucket, keyed address). Thread-safe and bounded."""

    def __init__(
        self,
        limits: Mapping[str, tuple[int, int]] | Callable[[], Mapping[str, tuple[int, int]]],
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
        # bucket -> keyed address -> [window start, count], oldest window first. One ordered
        # dict per bucket, so that its first counter is always the one whose window ends first
        # (buckets have windows of different lengths). OrderedDict, because dropping entries
        # from the front of a plain dict gets slower with every entry dropped.
        self._counters: dict[str, OrderedDict[bytes, list[int]]] = {}
        self._size = 0

    def limit(self, bucket: str) -> tuple[int, int]:
        # A callable is read each time, so that a settings override in tests takes effect at once.
        limits = self._limits() if callable(self._limits) else self._limits
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
            self._size = 0

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
            key = hmac_digest(self._key, address_group(address))
            counters = self._counters.setdefault(bucket, OrderedDict())
            counter = counters.get(key)
            if counter is None:
                self._make_room(now)
                counter = counters[key] = [window_start, 0]
                self._size += 1
            elif counter[0] != window_start:
                counter[:] = [window_start, 0]
                counters.move_to_end(key)
            if counter[1] >= limit:
                first_refusal = counter[1] == limit
                counter[1] = limit + 1
                return Decision(False, retry_after, first_refusal=first_refusal)
            counter[1] += 1
            return Decision(allowed=True, retry_after=retry_after)

    def _make_room(self, now: float) -> None:
        """Drop the counters whose window has ended (each bucket's come first), then, if still
        full (a flood from very many addresses), the oldest counters of the fullest bucket:
        those addresses start afresh, which per-address limits cannot prevent then anyway. A
        bucket with few counters (everyone's, one counter) is never the one emptied. Each
        counter is dropped once, so this costs little per new counter however full it is."""
        for bucket, counters in self._counters.items():
            window = self.limit(bucket)[1]
            while counters and next(iter(counters.values()))[0] + window <= now:
                counters.popitem(last=False)
                self._size -= 1
        while self._size >= self.max_entries:
            max(self._counters.values(), key=len).popitem(last=False)
            self._size -= 1

    def clear(self) -> None:
        with self._lock:
            self._counters.clear()
            self._size = 0

    def __len__(self) -> int:
        return self._size

    def __repr__(self) -> str:
        # Keep the key out of logs and debug pages.
        return f"RateLimiter(<{self._size} counters>)"


class RateLimited(Exception):
    """Too many requests from one address; the message is safe to show to the person."""

    def __init__(self, retry_after: int) -> None:
        # For the message: whole minutes, rounded up, at least one.
        self.minutes = minutes = max(1, math.ceil(retry_after / 60))
        self.retry_after = retry_after
        self.message = ngettext(
            "Many requests have come from your connection in a short time, so yours was not "
            "sent yet. What you wrote is still here: please wait about %(minutes)d minute, "
            "then press “Send” again.",
            "Many requests have come from your connection in a short time, so yours was not "
            "sent yet. What you wrote is still here: please wait about %(minutes)d minutes, "
            "then press “Send” again.",
            minutes,
        ) % {"minutes": minutes}
        super().__init__(self.message)


class TooManyWithoutStamp(RateLimited):
    """Too many requests without proof-of-work from all addresses together."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.message = str(
            _(
                "Too many requests without the automatic check of this page are arriving just now, "
                "so yours was not sent yet. What you wrote is still here. If you can, turn on "
                "JavaScript and press “Send” again; otherwise please press “Send” again later."
            )
        )


class StampNotUsable(RateLimited):
    """A request came with a proof-of-work stamp that could not be used (stale, forged or used
    already) and the budget for requests without one is used up: the person's browser can make
    a new stamp, so say that rather than only "wait"."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.message = str(
            _(
                "Your request was not sent yet: the automatic check of this page had expired or "
                "could not be used. What you wrote is still here: please press “Send” again."
            )
        )
