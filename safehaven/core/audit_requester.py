"""Audit events of a requester's own actions: the hour only, and a ref for the record that
only those who can open it can recompute (SECURITY.md, "Coarse times").

Audit rows can never be changed, so these are written coarse from the start. core imports no
app, so the record's ref key is passed in by the caller
(``keys.opened.OpenedRecord.audit_ref_key``).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from django.db import models

from safehaven.core.audit import CHUNK_SIZE, REQUESTER_EVENTS, append_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent

RECORD_REF_DOMAIN = "safehaven-audit-record-ref-v1"
# A record's ref key is derived from its data key with HKDF.
RECORD_REF_KEY_SIZE = 32


def record_requester_event(
    event_type: EventType,
    *,
    target: models.Model,
    record_ref_key: bytes,
    organisation: models.Model | None = None,
    detail: str = "",
) -> AuditEvent:
    """Append an event of a requester's action on their record, in the caller's transaction.

    It keeps the hour only, and names ``target`` by :func:`requester_event_ref`: an HMAC of
    this row's sequence under ``record_ref_key``, a key of the record's own that goes with it
    when it is shredded. Each row's ref differs, so after the shred neither the record's id
    nor its other events can be tied to the row; before, whoever can open the record finds
    its events with :func:`find_requester_events`. There is never an actor.
    """
    event_type = EventType(event_type)
    if event_type not in REQUESTER_EVENTS:
        raise ValueError(f"{event_type.value} is not a requester's action: use record_event.")
    if len(record_ref_key) != RECORD_REF_KEY_SIZE:
        raise ValueError(f"A record ref key has {RECORD_REF_KEY_SIZE} bytes.")
    target_type = target._meta.model_name or ""
    return append_event(
        event_type,
        actor=None,
        organisation=organisation,
        target_type=target_type,
        target_ref=lambda sequence: requester_event_ref(record_ref_key, target_type, sequence),
        detail=detail,
        created_at=this_hour(),
    )


def requester_event_ref(record_ref_key: bytes, target_type: str, sequence: int) -> str:
    message = f"{RECORD_REF_DOMAIN}|{target_type}|{sequence}".encode("ascii")
    return hmac.new(record_ref_key, message, hashlib.sha256).hexdigest()


def find_requester_events(
    record_ref_key: bytes, *, target_type: str, since: datetime | None = None
) -> list[AuditEvent]:
    """The requester events of the record whose ref key this is, oldest first.

    No index can find them (each row's ref differs, on purpose): every event of
    ``target_type`` without an actor since ``since`` (e.g. the month the record arrived) is
    tested, one HMAC each.
    """
    candidates = AuditEvent.objects.filter(target_type=target_type, actor__isnull=True)
    if since is not None:
        candidates = candidates.filter(created_at__gte=since)
    matching = [
        pk
        for pk, sequence, target_ref in candidates.order_by("sequence")
        .values_list("pk", "sequence", "target_ref")
        .iterator(chunk_size=CHUNK_SIZE)
        if hmac.compare_digest(
            target_ref, requester_event_ref(record_ref_key, target_type, sequence)
        )
    ]
    return list(AuditEvent.objects.filter(pk__in=matching).order_by("sequence"))
