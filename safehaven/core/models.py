"""The audit log: a hash chain of events, written one row at a time.

Nothing in these tables is sealed. The log must stay readable by the administrators who
check it and by ``verify_audit`` without anyone's key, so it may hold only what is harmless
when the database leaks (SECURITY.md, T1/T2): an event type, which staff user acted, ids of the
objects touched and a short detail that names no person the organisation helps.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from safehaven.core.event_types import EventType
from safehaven.core.indexes import index_where_set

# Imported so that Django registers it with this app (its models are read from this module).
from safehaven.core.public_forms.models import SpentStamp  # noqa: F401

# The previous_hash of the first row: there is no row before it.
GENESIS_HASH = "0" * 64
# Bumped if the encoding ever changes, so an old row can never be read under a new rule.
HASH_DOMAIN = b"safehaven-audit-row-v1\n"
# Every column except row_hash, in the names ``QuerySet.values()`` gives them.
HASHED_COLUMNS = (
    "id",
    "sequence",
    "event_type",
    "actor_id",
    "organisation_id",
    "target_type",
    "target_ref",
    "detail",
    "created_at",
    "previous_hash",
)


class AuditRowImmutable(Exception):
    """An audit row may be written once and never changed or removed through the ORM."""


def encode_created_at(value: datetime) -> str:
    # The same text before and after a database round trip: UTC, always with microseconds.
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def compute_row_hash(values: Mapping[str, Any]) -> str:
    """SHA-256 over sorted-key JSON of every hashed column: unambiguous, whatever the text."""
    canonical: dict[str, Any] = {}
    for column in HASHED_COLUMNS:
        value = values[column]
        canonical[column] = encode_created_at(value) if column == "created_at" else value
    encoded = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(HASH_DOMAIN + encoded.encode("ascii")).hexdigest()


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditRowImmutable("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One audit event, chained to the previous one by its SHA-256.

    Nothing is sealed, so ``target_ref`` is an id (never a name) and ``detail`` is short,
    non-identifying text ("state verified → planned", "page 2"), never a requester's words.
    """

    id = models.BigAutoField(primary_key=True)
    sequence = models.PositiveBigIntegerField(unique=True)
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    # Indexed only where set (Meta.indexes): most events of a busy install are help requests
    # arriving, with neither, and every index an insert touches is a page in its commit.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    target_type = models.CharField(max_length=40, blank=True)
    target_ref = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    previous_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64)

    objects: ClassVar[models.Manager[AuditEvent]] = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["event_type", "sequence"], name="core_audit_type_seq"),
            models.Index(fields=["created_at"], name="core_audit_created"),
            index_where_set("actor", name="core_audit_actor"),
            index_where_set("organisation", name="core_audit_organisation"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.event_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # record_event is the only writer; an edit through the ORM would break the chain.
        if not self._state.adding:
            raise AuditRowImmutable("Audit events cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditRowImmutable("Audit events cannot be deleted.")

    def hashed_values(self) -> dict[str, Any]:
        return {column: getattr(self, column) for column in HASHED_COLUMNS}

    def compute_row_hash(self) -> str:
        return compute_row_hash(self.hashed_values())


class AuditChainHead(models.Model):
    """The single row (pk=1) that writers lock to append to the chain one at a time.

    Nothing is sealed: it repeats the last row's sequence and hash. Because record_event trusts
    it rather than the last row, rows cut from the tail leave a gap the next event exposes.
    """

    SINGLETON_PK = 1

    sequence = models.PositiveBigIntegerField(default=0)
    row_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"audit head #{self.sequence}"
