"""Models used only by the key layer's tests: a record with sealed fields, and child rows.

They live under the ``keys`` label but have no migration: ``conftest.py`` creates their tables
in the test database. They show how an app declares sealed data.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models

from safehaven.keys.fields import SealedField, SealedRecordMixin


class SealedNote(SealedRecordMixin, models.Model):
    """Sealed: ``body`` and ``phone`` (they would identify a person). In clear: ``title``."""

    title = models.CharField(max_length=50, blank=True)
    body = SealedField()
    phone = SealedField()
    # Declared because the type checker cannot see these models in the app registry.
    objects: ClassVar[models.Manager[SealedNote]] = models.Manager()

    class Meta:
        app_label = "keys"

    def __str__(self) -> str:
        return f"note {self.record_id}"


class SealedNoteMessage(SealedRecordMixin, models.Model):
    """A message of a note's thread, sealed under the note's key. Sealed: ``text``."""

    record_id = models.UUIDField(db_index=True)
    item_id = models.UUIDField(default=uuid.uuid4, unique=True)
    text = SealedField(accepts_inbox=True)
    objects: ClassVar[models.Manager[SealedNoteMessage]] = models.Manager()
    sealed_item_field = "item_id"

    class Meta:
        app_label = "keys"

    def __str__(self) -> str:
        return f"message {self.item_id}"
