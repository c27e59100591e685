"""Sealed model fields: the model stores ciphertext only; plaintext exists only on request.

Usage::

    class Case(SealedRecordMixin, models.Model):
        full_name = SealedField()        # "identifies the requester"

    case = Case()
    opened = new_record_key(case.record_id, readers=[triage], codename=codename)
    case.open_with(opened).seal("full_name", "…")
    case.save()
    ...
    case.open_with(open_record(case.record_id, user=user, private_key=key)).sealed("full_name")

Reading without ``open_with`` raises :class:`SealedValueUnavailable`. The instance never keeps
plaintext, so nothing sealed reaches ``repr``, logs, admin lists or error pages.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, Self

from django.db import models

from safehaven.core.crypto import SealError
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import seal_for_inbox


class MissingSeal(SealError):
    """A required sealed field holds no value: the row was written around the application (a
    database writer needs no key to insert a row with NULL where its seal should be). Readers
    treat it like any seal that does not open: the row is forged, never genuine."""


class SealedField(models.BinaryField):
    """Ciphertext of one value, sealed under the record's DEK and bound to record id + field.

    ``binding`` fixes the name the ciphertext is bound to; it defaults to
    ``<app_label>.<model_name>.<field name>``. Set it explicitly before renaming a model or a
    field, or the existing ciphertext will no longer open.

    ``required``: the application always seals a value (``""`` when the user typed nothing),
    so reading NULL raises :class:`MissingSeal` instead of giving None. The column stays
    nullable (a shred may blank it, and no migration is needed): it is a rule of the readers.
    """

    description = "Sealed ciphertext"

    def __init__(
        self,
        *args: Any,
        binding: str | None = None,
        accepts_inbox: bool = False,
        required: bool = False,
        **kwargs: Any,
    ) -> None:
        # Nullable so that a shred can blank the value; never editable in a form.
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs["editable"] = False
        self.binding = binding
        # Only fields for arrivals with nobody present (requester messages) may hold values
        # sealed to the record's public inbox key; see OpenedRecord.open.
        self.accepts_inbox = accepts_inbox
        self.required = required
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("editable", None)
        if self.binding is not None:
            kwargs["binding"] = self.binding
        if self.accepts_inbox:
            kwargs["accepts_inbox"] = True
        return name, path, args, kwargs


class SealedRecordMixin(models.Model):
    """A model whose rows hold sealed fields under the key of ``record_id``.

    A child model whose rows belong to a parent record (messages of a thread) overrides
    ``record_id`` with a non-unique UUID field holding the parent's id and sets
    ``sealed_item_field`` to a unique field of its own, which is bound into every ciphertext so
    that two rows' values cannot be swapped.
    """

    record_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sealed_item_field: ClassVar[str | None] = None

    class Meta:
        abstract = True

    def __repr__(self) -> str:
        return f"<{type(self).__name__} record {self.record_id}>"

    @classmethod
    def sealed_fields(cls) -> list[SealedField]:
        return [field for field in cls._meta.get_fields() if isinstance(field, SealedField)]

    @classmethod
    def sealed_field_names(cls) -> list[str]:
        return [field.name for field in cls.sealed_fields()]

    def _sealed_field(self, name: str) -> SealedField:
        try:
            field = self._meta.get_field(name)
        except Exception:
            field = None
        if not isinstance(field, SealedField):
            raise ValueError(f"{type(self).__name__}.{name} is not a sealed field")
        return field

    def sealed_binding(self, name: str) -> str:
        """The name a value of field ``name`` is bound to (with the row's item id, if any)."""
        field = self._sealed_field(name)
        base = field.binding or f"{self._meta.app_label}.{self._meta.model_name}.{name}"
        if self.sealed_item_field:
            return f"{base}#{getattr(self, self.sealed_item_field)}"
        return base

    def open_with(self, opened: OpenedRecord) -> Self:
        """Attach an opened record key to this instance (not saved; gone with the instance)."""
        if opened.record_id != self.record_id:
            raise SealedValueUnavailable(
                f"The key given is for another record than this {type(self).__name__}."
            )
        self._sealed_opened = opened
        return self

    def _opened(self, name: str) -> OpenedRecord:
        opened: OpenedRecord | None = getattr(self, "_sealed_opened", None)
        if opened is None or opened.record_id != self.record_id:
            raise SealedValueUnavailable(
                f"{type(self).__name__}.{name} is sealed. Open the record's key first "
                "(open_record(...) or new_record_key(...)) and call .open_with(opened)."
            )
        return opened

    def _missing(self, name: str) -> None:
        """None for an optional field without a value; a required one raises MissingSeal."""
        if self._sealed_field(name).required:
            raise MissingSeal(f"{type(self).__name__}.{name} holds no seal.")

    def sealed_bytes(self, name: str) -> bytes | None:
        """The plaintext of field ``name`` as bytes, or None if it holds no value. Raises
        MissingSeal (a SealError) for a required field without a value."""
        opened = self._opened(name)
        value = getattr(self, name)
        if value is None:
            self._missing(name)
            return None
        return opened.open(
            self.sealed_binding(name), bytes(value), allow_inbox=self._accepts_inbox(name)
        )

    def sealed(self, name: str) -> str | None:
        """The plaintext of field ``name`` as text, or None if it holds no value. Raises
        MissingSeal (a SealError) for a required field without a value."""
        opened = self._opened(name)
        value = getattr(self, name)
        if value is None:
            self._missing(name)
            return None
        return opened.open_text(
            self.sealed_binding(name), bytes(value), allow_inbox=self._accepts_inbox(name)
        )

    def seal(self, name: str, value: str | bytes | None) -> None:
        """Set field ``name`` to the ciphertext of ``value`` (None clears it). Save afterwards."""
        opened = self._opened(name)
        binding = self.sealed_binding(name)
        setattr(self, name, None if value is None else opened.seal(binding, value))

    def _accepts_inbox(self, name: str) -> bool:
        field = self._meta.get_field(name)
        return isinstance(field, SealedField) and field.accepts_inbox

    def seal_for_inbox(self, name: str, value: str | bytes) -> None:
        """Seal ``value`` to the record's inbox key, with nobody's key present (arrivals from
        the requester, notices, partner API writes). Readers open it like any sealed field."""
        if not self._accepts_inbox(name):
            raise ValueError(f"{name} is not declared SealedField(accepts_inbox=True).")
        setattr(self, name, seal_for_inbox(self.record_id, self.sealed_binding(name), value))


class SealedItemMixin(SealedRecordMixin):
    """A row of a parent record (a message of a thread, a check of a case's casework): sealed
    under the parent's key (``record_id``, shared by every row of the record), each value
    bound to the row's own ``item_id`` so that two rows' values cannot be swapped. Subclasses
    bind what decides how the row is shown too (``sealed_binding``, with :func:`who_and_when`).
    """

    record_id = models.UUIDField(db_index=True, editable=False)
    item_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sealed_item_field: ClassVar[str | None] = "item_id"

    class Meta:
        abstract = True


def who_and_when(label: str, user_id: int | None, at: Any) -> str:
    """The part of a binding that says who wrote a row (``label``: "actor", "author"…) and in
    which hour; a row moved to another person or hour no longer opens."""
    timestamp = int(at.timestamp()) if at is not None else "-"
    return f"{label}={user_id if user_id is not None else '-'}|at={timestamp}"
