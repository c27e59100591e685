"""Crypto-shredding: destroy a record's keys, blank its ciphertext, and make the erasure stick.

SQLite runs with ``secure_delete=ON`` (freed bytes are zeroed); after a shred commits, a
``wal_checkpoint(TRUNCATE)`` moves pages into the main file and empties the WAL, so neither
file keeps the old bytes. PostgreSQL needs a VACUUM of the key tables (docs/keys.md).
Shredded ids are also appended to a file outside the database, so that ``reapply_shreds``
can repeat them after a restore from a backup taken before the shred.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Q

from safehaven.keys.fields import SealedRecordMixin
from safehaven.keys.models import RecordKey, RecordKeyWrap
from safehaven.keys.outside_files import shred_list_path

logger = logging.getLogger(__name__)


def checkpoint_sqlite(using: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, _log_frames, _checkpointed = cursor.fetchone()
    if busy:
        # A reader held the WAL; the next checkpoint (or the next shred) finishes the job.
        logger.warning("WAL checkpoint after a shred was blocked by a reader; will retry later")


def checkpoint_after_commit(using: str = DEFAULT_DB_ALIAS) -> None:
    transaction.on_commit(lambda: checkpoint_sqlite(using), using=using)


def append_to_shred_list(record_id: uuid.UUID) -> None:
    path = shred_list_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, f"{record_id}\n".encode("ascii"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read_shred_list(path: Path) -> list[uuid.UUID]:
    if not path.exists():
        return []
    ids = []
    for line_number, line in enumerate(path.read_text(encoding="ascii").splitlines(), start=1):
        text = line.strip()
        if not text:
            continue
        try:
            ids.append(uuid.UUID(text))
        except ValueError:
            raise ValueError(f"line {line_number} of {path} is not a record id") from None
    return ids


def sealed_models() -> list[type[SealedRecordMixin]]:
    return [model for model in apps.get_models() if issubclass(model, SealedRecordMixin)]


def destroy_record_keys(record_id: uuid.UUID) -> tuple[int, int]:
    """Delete every wrap and the key of a record, and blank its sealed fields in every sealed
    model. Call inside a transaction. Returns (wraps deleted, rows blanked)."""
    wraps, _detail = RecordKeyWrap.objects.filter(record_key__record_id=record_id).delete()
    RecordKey.objects.filter(record_id=record_id).delete()
    blanked = 0
    # A model whose table is not there (deployed before its migration ran) has nothing to blank.
    tables = set(connections[DEFAULT_DB_ALIAS].introspection.table_names())
    for model in sealed_models():
        fields = model.sealed_fields()
        if not fields or model._meta.db_table not in tables:
            continue
        blank = {field.name: None if field.null else b"" for field in fields}
        holds_value = Q()
        for field in fields:
            holds_value |= Q(**{f"{field.name}__isnull": False}) & ~Q(**{field.name: b""})
        rows = model._default_manager.filter(holds_value, record_id=record_id)
        blanked += rows.update(**blank)
    return wraps, blanked
