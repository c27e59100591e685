"""Proof-of-work stamps for anonymous forms, hashcash-like.

Why: SECURITY.md, "Public intake and the status page" (proof-of-work).

The server hands out a *challenge*: a signed blob holding a random nonce, its issue time and
the difficulty. The browser (``static/intake/pow.js``) finds a *counter* such that
``SHA-256(challenge + ":" + counter)`` starts with ``difficulty`` zero bits and posts both back.
A stamp is good once: redeemed nonces are kept until the challenge expires, in process memory
and in the ``SpentStamp`` table (shared by the app servers).

``redeem_stamp`` checks a stamp and marks it used at once. Intake does it in steps instead, so
that a sender over their rate limit takes nothing and marking costs no database transaction of
its own: ``check_stamp`` checks the stamp alone (no memory, no database); ``claim_checked``
takes a good one in process memory and looks it up (read only) in the shared table;
``settle_claim`` then inserts the mark inside the transaction that stores the request, and
reports a stamp that another app server marked in between (the nonce is the table's primary
key).
"""

import enum
import hashlib
import math
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import connection

CHALLENGE_MAX_AGE = 2 * 60 * 60
# App servers' clocks may differ a little; a challenge from further ahead was not made by us.
CLOCK_SKEW = 60
MAX_CHALLENGE_LENGTH = 400
MAX_COUNTER_DIGITS = 16
_SALT = "safehaven.intake.pow"  # unchanged when the module moved: challenges in flight stay good
# Expired nonces are deleted by every this many-th stamp an app server records: a small,
# indexed delete, so the table stays about as large as two hours of stamps.
SWEEP_EVERY = 200
# The table of ``models.SpentStamp`` (named here, not read from the model: bench/intake.py uses
# this module's stamp arithmetic without Django set up). Intake made it before the model moved.
SPENT_STAMP_TABLE = "intake_spentstamp"


class Verdict(enum.Enum):
    ACCEPTED = "accepted"
    MALFORMED = "malformed"
    FORGED = "forged"
    EXPIRED = "expired"
    FROM_THE_FUTURE = "from the future"
    TOO_EASY = "too easy"
    WRONG_HASH = "wrong hash"
    REPLAYED = "replayed"
    BUSY = "busy"


@dataclass(frozen=True)
class Stamp:
    challenge: str
    counter: str

    @classmethod
    def from_post(cls, data: Any) -> "Stamp | None":
        """The stamp fields of a posted form, or None when they are absent (no JavaScript)."""
        challenge = data.get("pow_challenge", "")
        counter = data.get("pow_counter", "")
        if not isinstance(challenge, str) or not isinstance(counter, str):
            return None
        if not challenge or not counter:
            return None
        return cls(challenge=challenge, counter=counter)


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SALT, algorithm="sha256")


def required_bits() -> int:
    return int(settings.INTAKE_POW_BITS)


def issue_challenge(bits: int | None = None, *, now: float | None = None) -> str:
    """A fresh signed challenge for one form page."""
    payload = {
        "n": secrets.token_urlsafe(16),
        "t": int(time.time() if now is None else now),
        "b": required_bits() if bits is None else bits,
    }
    return _signer().sign_object(payload)


def leading_zero_bits(digest: bytes) -> int:
    value = int.from_bytes(digest, "big")
    return len(digest) * 8 - value.bit_length()


def stamp_digest(challenge: str, counter: int | str) -> bytes:
    return hashlib.sha256(f"{challenge}:{counter}".encode()).digest()


def solve(challenge: str, bits: int) -> int:
    """Find a counter for ``challenge`` (tests and benchmarks; browsers use pow.js)."""
    prefix = hashlib.sha256(f"{challenge}:".encode())
    counter = 0
    while True:
        attempt = prefix.copy()
        attempt.update(str(counter).encode())
        if leading_zero_bits(attempt.digest()) >= bits:
            return counter
        counter += 1


class SpentStamps:
    """Nonces of redeemed stamps until their challenge expires: in process memory (bounded, so
    a flood cannot fill it; when full, new stamps are refused with ``BUSY``, which only moves
    their senders to the stricter rate limit of requests without a stamp) and, when
    ``shared``, in the database table every app server sees (:class:`SpentStamp`)."""

    def __init__(self, *, max_entries: int = 200_000, shared: bool = True) -> None:
        self.max_entries = max_entries
        self.shared = shared
        # nonce -> when it may be forgotten. Every nonce is kept equally long, so the oldest
        # is first: expired ones are dropped from the front, a few at a time (an OrderedDict,
        # because a plain dict gets slower with every entry dropped from its front).
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()
        self._recorded = 0

    def spend(self, nonce: str, *, now: float) -> Verdict:
        """Take ``nonce`` here and in the shared table; ``ACCEPTED`` if it was free in both."""
        verdict = self.reserve(nonce, now=now)
        if verdict is Verdict.ACCEPTED and not self.record(nonce, now=now):
            return Verdict.REPLAYED
        return verdict

    def reserve(self, nonce: str, *, now: float) -> Verdict:
        """Take ``nonce`` in process memory and check (without writing) that the shared table
        does not hold it. ``ACCEPTED`` obliges the caller to ``record`` it, best in the
        transaction that acts on the stamp."""
        expires = now + CHALLENGE_MAX_AGE + CLOCK_SKEW
        with self._lock:
            if nonce in self._expiry and self._expiry[nonce] > now:
                return Verdict.REPLAYED
            self._forget_expired(now)
            if len(self._expiry) >= self.max_entries:
                return Verdict.BUSY
            self._expiry[nonce] = expires
            self._expiry.move_to_end(nonce)
        if self.shared and _shared_holds(nonce, now=now):
            # Another app server has redeemed this stamp.
            return Verdict.REPLAYED
        return Verdict.ACCEPTED

    def record(self, nonce: str, *, now: float | None = None) -> bool:
        """Mark ``nonce`` used in the shared table, in the caller's transaction; False if it
        was marked already (by another app server since ``reserve``)."""
        if not self.shared:
            return True
        now = time.time() if now is None else now
        with self._lock:
            self._recorded += 1
            sweep = self._recorded % SWEEP_EVERY == 0
        if sweep:
            _shared_forget_expired(now=now)
        return _shared_add(nonce, expires=now + CHALLENGE_MAX_AGE + CLOCK_SKEW)

    def _forget_expired(self, now: float) -> None:
        expiry = self._expiry
        while expiry and next(iter(expiry.values())) <= now:
            expiry.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._expiry.clear()


# Raw SQL, because this runs on every help request and the ORM's compilation costs more than
# the statements (bench/intake.py); the statements are plain SQL that SQLite and PostgreSQL
# both run.


def _table() -> str:
    return str(connection.ops.quote_name(SPENT_STAMP_TABLE))


def _shared_holds(nonce: str, *, now: float) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {_table()} WHERE nonce = %s AND expires_unix > %s",  # noqa: S608
            [nonce, int(now)],
        )
        return cursor.fetchone() is not None


def _shared_add(nonce: str, *, expires: float) -> bool:
    """Insert the nonce unless it is there; True if this call inserted it. Atomic per nonce
    (primary key): of two app servers adding the same nonce, one gets False."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table()} (nonce, expires_unix) VALUES (%s, %s) "  # noqa: S608
            "ON CONFLICT (nonce) DO NOTHING",
            [nonce, math.ceil(expires)],
        )
        return bool(cursor.rowcount == 1)


def _shared_forget_expired(*, now: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_table()} WHERE expires_unix <= %s",  # noqa: S608
            [int(now)],
        )


SPENT = SpentStamps()


def _read_challenge(challenge: str) -> dict[str, Any] | None:
    try:
        payload = _signer().unsign_object(challenge)
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    if not isinstance(payload, dict):
        return None
    nonce, issued, bits = payload.get("n"), payload.get("t"), payload.get("b")
    if not isinstance(nonce, str) or not isinstance(issued, int) or not isinstance(bits, int):
        return None
    return payload


@dataclass(frozen=True)
class Claim:
    """The outcome of :func:`claim_stamp`. Only an ``ACCEPTED`` claim holds a nonce, and it
    must be settled (:func:`settle_claim`) whatever happens to the request afterwards."""

    verdict: Verdict
    nonce: str | None = field(default=None, repr=False)
    spent: SpentStamps | None = field(default=None, repr=False, compare=False)

    @property
    def accepted(self) -> bool:
        return self.verdict is Verdict.ACCEPTED


@dataclass(frozen=True)
class CheckedStamp:
    """The outcome of :func:`check_stamp`: ``GOOD`` when the stamp is well made, fresh and paid
    for (whether it was used already is for :func:`claim_checked` to find out)."""

    verdict: Verdict
    nonce: str | None = field(default=None, repr=False)
    now: float = field(default=0.0, repr=False)

    @property
    def good(self) -> bool:
        return self.verdict is Verdict.ACCEPTED


def check_stamp(stamp: Stamp, *, now: float | None = None) -> CheckedStamp:
    """Check a stamp's form, signature, age and work, without taking it or reading the
    database (one HMAC and one hash)."""
    now = time.time() if now is None else now
    if (
        len(stamp.challenge) > MAX_CHALLENGE_LENGTH
        or not stamp.counter.isascii()
        or not stamp.counter.isdigit()
        or len(stamp.counter) > MAX_COUNTER_DIGITS
    ):
        return CheckedStamp(Verdict.MALFORMED)
    payload = _read_challenge(stamp.challenge)
    if payload is None:
        return CheckedStamp(Verdict.FORGED)
    issued, bits = payload["t"], payload["b"]
    if issued > now + CLOCK_SKEW:
        return CheckedStamp(Verdict.FROM_THE_FUTURE)
    if now - issued > CHALLENGE_MAX_AGE:
        return CheckedStamp(Verdict.EXPIRED)
    if bits < required_bits():
        return CheckedStamp(Verdict.TOO_EASY)
    if leading_zero_bits(stamp_digest(stamp.challenge, stamp.counter)) < bits:
        return CheckedStamp(Verdict.WRONG_HASH)
    return CheckedStamp(Verdict.ACCEPTED, nonce=payload["n"], now=now)


def claim_checked(checked: CheckedStamp, *, spent: SpentStamps | None = None) -> Claim:
    """Take a good stamp in this process; ``ACCEPTED`` unless it was used (here or, as far as
    the shared table shows, by another app server) or memory is full. Settle an accepted
    claim with :func:`settle_claim` in the transaction that acts on it."""
    if not checked.good or checked.nonce is None:
        return Claim(checked.verdict)
    memory = SPENT if spent is None else spent
    verdict = memory.reserve(checked.nonce, now=checked.now)
    if verdict is not Verdict.ACCEPTED:
        return Claim(verdict)
    return Claim(verdict, nonce=checked.nonce, spent=memory)


def claim_stamp(
    stamp: Stamp, *, now: float | None = None, spent: SpentStamps | None = None
) -> Claim:
    """:func:`check_stamp`, then :func:`claim_checked`."""
    return claim_checked(check_stamp(stamp, now=now), spent=spent)


def settle_claim(claim: Claim) -> bool:
    """Mark an accepted claim's stamp used in the shared table, in the caller's transaction
    (so the mark commits with the request). False when another app
    server used the same stamp meanwhile: then it counts as no stamp, like any replay."""
    if not claim.accepted or claim.nonce is None:
        raise ValueError("only an accepted claim can be settled")
    return (SPENT if claim.spent is None else claim.spent).record(claim.nonce)


def redeem_stamp(
    stamp: Stamp, *, now: float | None = None, spent: SpentStamps | None = None
) -> Verdict:
    """Check a stamp and, when it is good, mark it used. Only ``ACCEPTED`` means good."""
    claim = claim_stamp(stamp, now=now, spent=spent)
    if claim.accepted and not settle_claim(claim):
        return Verdict.REPLAYED
    return claim.verdict
