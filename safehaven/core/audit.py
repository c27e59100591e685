"""Writing audit events and proving the audit chain intact.

``record_event`` appends one row inside the caller's transaction, so the event exists exactly
when the change it describes does (a requester's own actions go through
``audit_requester``). ``write_anchor`` appends a keyed hash of the chain head to a file
outside the database; ``verify_chain`` checks every row and every anchor.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, models, router, transaction
from django.db import connections as db_connections
from django.utils import timezone

from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.core.inserts import insert_rows
from safehaven.core.models import (
    GENESIS_HASH,
    HASHED_COLUMNS,
    AuditChainHead,
    AuditEvent,
    compute_row_hash,
)

ANCHOR_DOMAIN = "safehaven-audit-anchor-v1"
HEX64 = re.compile(r"[0-9a-f]{64}")
ANCHOR_TIME = re.compile(r"[0-9T:.+Z-]{1,40}")
SEQUENCE = re.compile(r"[0-9]{1,20}")
# Control characters would let a detail forge extra lines in an export or a terminal.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
CHUNK_SIZE = 2000
# A requester's own actions (and notices their actions post): written only through
# audit_requester.record_requester_event, to the hour, naming the record by a ref an erasure makes
# unrecoverable. An exact time by record id would, with an ISP's log, name the subscriber.
REQUESTER_EVENTS = frozenset(
    {
        EventType.REQUEST_RECEIVED,
        EventType.REQUEST_MESSAGE_RECEIVED,
        EventType.REQUEST_UPDATED_BY_REQUESTER,
        EventType.REQUEST_WITHDRAWN,
        EventType.CODENAME_CHOSEN,
    }
)
# Events that name a record by its id at a time that follows from a requester's action (a
# withdrawn request is erased a fixed grace after the withdrawal): to the hour as well.
# How long an event's detail may be (the column's length): what writes a long detail (a
# package's contents, a household's namings) checks against this one figure.
DETAIL_MAX = 200
HOUR_ONLY_EVENTS = frozenset({EventType.RECORD_SHREDDED, EventType.REQUEST_SHREDDED})


class AuditOutsideTransaction(RuntimeError):
    """record_event was called outside transaction.atomic: the event could outlive a change
    that rolled back, or a change could commit without its event."""


class AnchorRefused(RuntimeError):
    """The chain does not verify, so its head must not be vouched for."""


class Reason(StrEnum):
    ROW_EDITED = "row edited"
    ROW_MISSING = "row missing"
    OUT_OF_ORDER = "out of order"
    TAIL_CUT = "tail cut after anchor"
    ANCHOR_FORGED = "anchor forged"


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows_checked: int
    anchors_checked: int = 0
    first_bad_sequence: int | None = None
    first_bad_id: int | None = None
    reason: Reason | None = None
    note: str = ""


@dataclass(frozen=True)
class Anchor:
    line_number: int
    written_at: str
    sequence: int
    row_hash: str


def record_event(
    event_type: EventType,
    *,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    organisation: models.Model | None = None,
    target: models.Model | None = None,
    target_type: str = "",
    target_ref: str = "",
    detail: str = "",
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction."""
    event_type = EventType(event_type)
    if event_type in REQUESTER_EVENTS:
        raise ValueError(
            f"{event_type.value} is a requester's action: write it with record_requester_event."
        )
    if target is not None:
        target_type = target._meta.model_name or ""
        record_id = getattr(target, "record_id", None)
        reference = record_id if record_id is not None else target.pk
        if reference is None:
            raise ValueError("An audit target must be saved first: it has no id to refer to.")
        target_ref = str(reference)
    created_at = this_hour() if event_type in HOUR_ONLY_EVENTS else timezone.now()
    return append_event(
        event_type,
        actor=actor,
        organisation=organisation,
        target_type=target_type,
        target_ref=lambda _sequence: target_ref,
        detail=detail,
        created_at=created_at,
    )


def append_event(
    event_type: EventType,
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    organisation: models.Model | None,
    target_type: str,
    target_ref: Callable[[int], str],
    detail: str,
    created_at: datetime,
) -> AuditEvent:
    """The one writer of the chain (``record_event``, ``audit_requester.record_requester_event``):
    ``target_ref`` is given the new row's sequence."""
    using = router.db_for_write(AuditEvent)
    if not db_connections[using].in_atomic_block:
        raise AuditOutsideTransaction(
            "record_event() must run inside transaction.atomic(), with the change it records."
        )
    _check_text("target_type", target_type, 40)
    _check_text("detail", detail, DETAIL_MAX)
    # An anonymous visitor is not an actor: the row simply has none.
    actor_id = actor.pk if isinstance(actor, AbstractBaseUser) else None

    sequence, previous_hash = _lock_head(using)
    reference = target_ref(sequence + 1)
    _check_text("target_ref", reference, 64)
    event = AuditEvent(
        # The id is hashed too. Being the sequence, it is known before the insert, so the row
        # is written once, complete (one statement fewer on every change: bench/intake.py).
        id=sequence + 1,
        sequence=sequence + 1,
        event_type=event_type.value,
        actor_id=actor_id,
        organisation_id=organisation.pk if organisation is not None else None,
        target_type=target_type,
        target_ref=reference,
        detail=detail,
        created_at=created_at,
        previous_hash=previous_hash,
        row_hash="",
    )
    event.row_hash = event.compute_row_hash()
    insert_rows([event], using=using)
    _advance_head(using, event.sequence, event.row_hash)
    return event


def _check_text(name: str, value: str, max_length: int) -> None:
    if len(value) > max_length:
        raise ValueError(f"Audit {name} is longer than {max_length} characters.")
    if CONTROL_CHARACTERS.search(value):
        raise ValueError(f"Audit {name} contains control characters.")


def _head_table(using: str) -> str:
    return str(db_connections[using].ops.quote_name(AuditChainHead._meta.db_table))


def hold_audit_chain(using: str) -> None:
    """Take the audit chain head's lock now rather than at the caller's next audit event:
    until the caller's transaction ends, no other change can record its event and commit
    (``keys.teams.hold_team_keys`` says why that matters)."""
    _lock_head(using)


def _lock_head(using: str) -> tuple[int, str]:
    """The chain head's sequence and hash, locked until the caller's transaction ends.

    SQLite's IMMEDIATE transactions already serialise writers; PostgreSQL needs the row lock.
    Raw SQL: every change in the application runs this (``_advance_head`` too).
    """
    connection = db_connections[using]
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT sequence, row_hash FROM {_head_table(using)} WHERE id = %s{lock}",  # noqa: S608
            [AuditChainHead.SINGLETON_PK],
        )
        row = cursor.fetchone()
    if row is not None:
        return int(row[0]), str(row[1])
    # Only on a fresh database: continue from whatever rows exist rather than fork at 1.
    last = (
        AuditEvent.objects.using(using)
        .order_by("-sequence")
        .values_list("sequence", "row_hash")
        .first()
    )
    sequence, row_hash = last if last is not None else (0, GENESIS_HASH)
    try:
        with transaction.atomic(using=using):
            AuditChainHead.objects.using(using).create(
                pk=AuditChainHead.SINGLETON_PK, sequence=sequence, row_hash=row_hash
            )
    except IntegrityError:
        # Another writer created it first; its row lock now queues us behind it.
        return _lock_head(using)
    return sequence, row_hash


def _advance_head(using: str, sequence: int, row_hash: str) -> None:
    with db_connections[using].cursor() as cursor:
        cursor.execute(
            f"UPDATE {_head_table(using)} SET sequence = %s, row_hash = %s WHERE id = %s",  # noqa: S608
            [sequence, row_hash, AuditChainHead.SINGLETON_PK],
        )


def anchor_mac(key: bytes, written_at: str, sequence: int, row_hash: str) -> str:
    # The time is bound as well, so a copied line cannot be re-dated.
    message = f"{ANCHOR_DOMAIN}|{written_at}|{sequence}|{row_hash}".encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def read_anchors(anchor_path: Path, key: bytes) -> tuple[list[Anchor], VerifyResult | None]:
    """Every anchor line of the file, or the first one that is malformed or fails its HMAC."""
    anchors: list[Anchor] = []
    with anchor_path.open(encoding="ascii", errors="replace") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            anchor = _parse_anchor(line, line_number, key)
            if anchor is None:
                parts = line.split()
                sequence = (
                    int(parts[1]) if len(parts) > 1 and SEQUENCE.fullmatch(parts[1]) else None
                )
                return anchors, VerifyResult(
                    ok=False,
                    rows_checked=0,
                    anchors_checked=len(anchors),
                    first_bad_sequence=sequence,
                    reason=Reason.ANCHOR_FORGED,
                    note=f"line {line_number} of {anchor_path} does not carry a valid HMAC",
                )
            anchors.append(anchor)
    return anchors, None


def _parse_anchor(line: str, line_number: int, key: bytes) -> Anchor | None:
    parts = line.rstrip("\n").split(" ")
    if len(parts) != 4:
        return None
    written_at, sequence_text, row_hash, mac = parts
    if not (
        ANCHOR_TIME.fullmatch(written_at)
        and SEQUENCE.fullmatch(sequence_text)
        and HEX64.fullmatch(row_hash)
        and HEX64.fullmatch(mac)
    ):
        return None
    sequence = int(sequence_text)
    if not hmac.compare_digest(mac, anchor_mac(key, written_at, sequence, row_hash)):
        return None
    return Anchor(line_number, written_at, sequence, row_hash)


def verify_chain(anchor_path: Path | None, key: bytes) -> VerifyResult:
    """Walk every row by sequence, then hold the chain against every anchor."""
    anchors: list[Anchor] = []
    if anchor_path is not None:
        anchors, forged = read_anchors(anchor_path, key)
        if forged is not None:
            return forged
    # Read before the walk: the rows it counts were committed with it, so all must be seen.
    head = AuditChainHead.objects.filter(pk=AuditChainHead.SINGLETON_PK).first()
    result, end_sequence, _end_hash = _walk(anchors, after_sequence=0, after_hash=GENESIS_HASH)
    if result.ok and head is not None and head.sequence > end_sequence:
        return replace(
            result,
            ok=False,
            first_bad_sequence=end_sequence + 1,
            reason=Reason.ROW_MISSING,
            note=f"the chain head says #{head.sequence}, the rows end at #{end_sequence}",
        )
    return result


def _walk(
    anchors: list[Anchor], *, after_sequence: int, after_hash: str
) -> tuple[VerifyResult, int, str]:
    """Check the rows after ``after_sequence``; also return the last good row's position."""
    by_sequence: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        by_sequence.setdefault(anchor.sequence, []).append(anchor)
    checked = 0
    previous_sequence, previous_hash = after_sequence, after_hash

    def broken(
        sequence: int, row_id: int | None, reason: Reason, note: str
    ) -> tuple[VerifyResult, int, str]:
        result = VerifyResult(False, checked, len(anchors), sequence, row_id, reason, note)
        return result, previous_sequence, previous_hash

    for row in _rows_after(after_sequence):
        sequence, row_id = row["sequence"], row["id"]
        if sequence != previous_sequence + 1:
            note = f"the next row present is #{sequence}"
            return broken(previous_sequence + 1, None, Reason.ROW_MISSING, note)
        # A row that hashes but does not link was moved or forged; one that links but does
        # not hash was edited in place.
        if row["previous_hash"] != previous_hash:
            note = "it does not follow the row before it"
            return broken(sequence, row_id, Reason.OUT_OF_ORDER, note)
        if compute_row_hash(row) != row["row_hash"]:
            return broken(sequence, row_id, Reason.ROW_EDITED, "its content no longer hashes")
        for anchor in by_sequence.get(sequence, ()):
            if anchor.row_hash != row["row_hash"]:
                note = f"it differs from the anchor of {anchor.written_at}: the chain was rewritten"
                return broken(sequence, row_id, Reason.ROW_EDITED, note)
        checked += 1
        previous_sequence, previous_hash = sequence, row["row_hash"]

    for anchor in anchors:
        if anchor.sequence > previous_sequence:
            note = (
                f"the anchor of {anchor.written_at} vouches for #{anchor.sequence}, "
                f"the chain ends at #{previous_sequence}"
            )
            return broken(previous_sequence + 1, None, Reason.TAIL_CUT, note)
        if anchor.sequence == 0 and anchor.row_hash != GENESIS_HASH:
            note = f"line {anchor.line_number} anchors an empty chain with a row hash"
            return broken(0, None, Reason.ANCHOR_FORGED, note)
    return VerifyResult(True, checked, len(anchors)), previous_sequence, previous_hash


def _rows_after(sequence: int) -> Iterator[dict[str, Any]]:
    return (
        AuditEvent.objects.filter(sequence__gt=sequence)
        .order_by("sequence")
        .values(*HASHED_COLUMNS, "row_hash")
        .iterator(chunk_size=CHUNK_SIZE)
    )


def write_anchor(anchor_path: Path, key: bytes) -> str:
    """Append a keyed hash of the current head to ``anchor_path`` and return the line.

    The rows since the last anchor are checked first, so anchoring never vouches for a chain
    that is already broken, and stays cheap however long the log grows.
    """
    anchors: list[Anchor] = []
    if anchor_path.exists():
        anchors, forged = read_anchors(anchor_path, key)
        if forged is not None:
            raise AnchorRefused(describe(forged))
    last = max(anchors, key=lambda anchor: anchor.sequence, default=None)
    start_sequence, start_hash = (last.sequence, last.row_hash) if last else (0, GENESIS_HASH)
    if start_sequence:
        anchored = (
            AuditEvent.objects.filter(sequence=start_sequence)
            .values(*HASHED_COLUMNS, "row_hash")
            .first()
        )
        if anchored is None:
            raise AnchorRefused(f"Row #{start_sequence} was anchored and is gone.")
        if anchored["row_hash"] != start_hash or compute_row_hash(anchored) != start_hash:
            raise AnchorRefused(f"Row #{start_sequence} differs from its anchor.")
    result, sequence, row_hash = _walk([], after_sequence=start_sequence, after_hash=start_hash)
    if not result.ok:
        raise AnchorRefused(describe(result))
    written_at = datetime.now(UTC).isoformat(timespec="seconds")
    line = f"{written_at} {sequence} {row_hash} {anchor_mac(key, written_at, sequence, row_hash)}"
    _append_private(anchor_path, line + "\n")
    return line


def _append_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, text.encode("ascii"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def describe(result: VerifyResult) -> str:
    """One line an operator can act on: which row, why, and what was seen."""
    if result.ok:
        return f"Audit chain intact: {result.rows_checked} rows, {result.anchors_checked} anchors"
    row_id = result.first_bad_id if result.first_bad_id is not None else "none (row absent)"
    sequence = result.first_bad_sequence if result.first_bad_sequence is not None else "unknown"
    return f"Audit chain broken at sequence {sequence}, row id {row_id}: {result.reason}" + (
        f" ({result.note})" if result.note else ""
    )
