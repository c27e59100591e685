"""Tags that authenticate the public keys stored in the database.

Why: SECURITY.md, "Outside review of the key layer and the status page", finding 5. A model
holding a public key is a :class:`TaggedPublicKey`, tagged whenever code sets its key;
everything that wraps or seals to a stored public key takes it through
:func:`checked_public_key`, which refuses a key without its tag (:class:`PublicKeyTampered`)
and raises the alarm.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, NoReturn, Self

from django.conf import settings
from django.core.signals import request_finished
from django.db import connections, models, router, transaction
from django.tasks.signals import task_finished

from safehaven.core.audit import record_event
from safehaven.core.crypto import derive_key
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.wrapping import binding

logger = logging.getLogger(__name__)

TAG_LABEL = "safehaven public key tag v1"
NO_TAG = "does not carry its tag"
# Only a rotation marks a version active, always a new one: an older one marked active again
# (which its tag cannot tell) would reach members removed since.
OLDER_VERSION_ACTIVE = "is an older version marked active"


class PublicKeyKind(StrEnum):
    USER = "user"
    TEAM = "team"
    ESCROW = "escrow"
    RECORD_INBOX = "record-inbox"


class PublicKeyTampered(KeyActionRefused):
    """A stored public key does not carry its tag: nothing was wrapped or sealed to it."""


@functools.lru_cache(maxsize=4)
def _tag_key(secret: bytes) -> bytes:
    return derive_key(secret, TAG_LABEL)


def public_key_tag(
    kind: PublicKeyKind, owner: Iterable[object], public_key: bytes, *, secret: bytes | None = None
) -> bytes:
    """The tag of ``public_key`` as the key of ``kind`` owned by ``owner`` (ids, in order)."""
    key = _tag_key(settings.PUBLIC_KEY_TAG_KEY if secret is None else secret)
    message = binding("public-key", kind.value, *owner, bytes(public_key))
    return hmac.new(key, message, hashlib.sha256).digest()


class PublicKeyTagField(models.BinaryField):
    """The tag of the row's public key, made when the row is written with a key that code set
    (a new row, or a key that differs from the one it was loaded with), so that every way of
    writing a row tags it: ``save()``, ``bulk_create`` and ``core.inserts``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("default", b"")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if isinstance(model_instance, TaggedPublicKey) and model_instance.public_key_set_here():
            model_instance.tag_public_key()
        return super().pre_save(model_instance, add)


class TaggedPublicKey(models.Model):
    """A row holding a public key and the tag that proves the server stored it.

    A row loaded with a key that someone else wrote keeps its old tag when it is saved again,
    so saving it for another reason (a suspension, a password change) never vouches for it.
    """

    PUBLIC_KEY_FIELD: ClassVar[str] = "public_key"
    _loaded_public_key: bytes | None = None

    public_key_tag = PublicKeyTagField()

    class Meta:
        abstract = True

    def public_key_owner(self) -> tuple[PublicKeyKind, Sequence[object]]:
        raise NotImplementedError

    def stored_public_key(self) -> bytes:
        return bytes(getattr(self, self.PUBLIC_KEY_FIELD))

    def expected_public_key_tag(self) -> bytes:
        kind, owner = self.public_key_owner()
        return public_key_tag(kind, owner, self.stored_public_key())

    def tag_public_key(self) -> None:
        self.public_key_tag = self.expected_public_key_tag()
        self._loaded_public_key = self.stored_public_key()

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        loaded = instance.__dict__.get(cls.PUBLIC_KEY_FIELD)
        instance._loaded_public_key = bytes(loaded) if loaded is not None else None
        return instance

    def refresh_from_db(
        self, using: str | None = None, fields: Any = None, from_queryset: Any = None
    ) -> None:
        """Reloading the key (also how a deferred key is loaded on first use) makes what the
        database holds now the loaded key: a key someone wrote there since is not "set here",
        so saving the row does not tag it."""
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or self.PUBLIC_KEY_FIELD in fields:
            loaded = self.__dict__.get(self.PUBLIC_KEY_FIELD)
            self._loaded_public_key = bytes(loaded) if loaded is not None else None

    def public_key_set_here(self) -> bool:
        """Whether code set this row's key: a new row, or a key unlike the one loaded. A row
        of the database whose loaded key is unknown never counts: tagging it could vouch for
        a key someone wrote there."""
        if self._state.adding:
            return True
        current = self.__dict__.get(self.PUBLIC_KEY_FIELD)
        if current is None or self._loaded_public_key is None:
            return False
        return bytes(current) != self._loaded_public_key


class ReplaceablePublicKey(TaggedPublicKey):
    """A row whose key code may replace in place (``save(update_fields=["public_key"])``):
    its tag is written with it."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.PUBLIC_KEY_FIELD in update_fields:
            kwargs["update_fields"] = {*update_fields, "public_key_tag"}
        super().save(*args, **kwargs)


def tag_matches(row: TaggedPublicKey) -> bool:
    stored = bytes(row.public_key_tag or b"")
    return hmac.compare_digest(stored, row.expected_public_key_tag())


def checked_public_key(row: TaggedPublicKey) -> bytes:
    """The row's public key, to wrap or seal to; PublicKeyTampered (and an alarm) if its tag
    does not match."""
    if not tag_matches(row):
        refuse_tampered(row)
    return bytes(row.stored_public_key())


def refuse_tampered(row: TaggedPublicKey, *, reason: str = NO_TAG) -> NoReturn:
    raise_tamper_alarm(row, reason=reason)
    raise PublicKeyTampered(
        "A public key in the database failed its check, so nothing was wrapped to it. "
        "The administrators have been alerted."
    )


# --- The alarm -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Alarm:
    kind: str
    model_name: str
    row_id: str
    reason: str
    what: str = "public key"


_pending: list[_Alarm] = []
_pending_lock = threading.Lock()


def raise_tamper_alarm(row: TaggedPublicKey, *, reason: str = NO_TAG) -> None:
    """Log the tampered key (ids only) and record an audit event that the refused action's
    rollback does not undo: at once when no transaction of the caller is open, otherwise as
    soon as one is not (at the latest when the request or background task ends)."""
    kind, _owner = row.public_key_owner()
    model_name = row._meta.model_name or ""
    alarm = _Alarm(kind=kind.value, model_name=model_name, row_id=str(row.pk), reason=reason)
    logger.error(
        "public key tampered: %s key %s #%s %s; nothing was wrapped to it",
        alarm.kind,
        alarm.model_name,
        alarm.row_id,
        alarm.reason,
    )
    _queue_alarm(alarm)


def raise_row_tamper_alarm(row: models.Model, *, kind: str, what: str, reason: str) -> None:
    """The same alarm (and audit event type) for another kind of row whose tag failed, e.g. a
    team key wrap (keys/wrap_tags.py). Ids only, like every alarm."""
    alarm = _Alarm(
        kind=kind,
        model_name=row._meta.model_name or "",
        row_id=str(row.pk),
        reason=reason,
        what=what,
    )
    logger.error(
        "tampered row: %s %s %s #%s %s",
        alarm.kind,
        alarm.what,
        alarm.model_name,
        alarm.row_id,
        alarm.reason,
    )
    _queue_alarm(alarm)


def _queue_alarm(alarm: _Alarm) -> None:
    with _pending_lock:
        _pending.append(alarm)
    _try_recording_alarms()


def _in_callers_transaction(using: str) -> bool:
    # A test case's own transaction does not count: what runs inside it is the whole test.
    blocks = connections[using].atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def record_pending_alarms() -> None:
    """Record the alarms raised so far, unless a transaction that may roll back is open."""
    if not _pending:  # every request ends here: nothing to do, nothing to lock
        return
    using = router.db_for_write(AuditEvent)
    if _in_callers_transaction(using):
        return
    with _pending_lock:
        alarms = list(_pending)
        _pending.clear()
    if not alarms:
        return
    try:
        with transaction.atomic(using=using):
            for alarm in alarms:
                record_event(
                    EventType.PUBLIC_KEY_TAMPERED,
                    target_type=alarm.model_name,
                    target_ref=alarm.row_id,
                    detail=f"{alarm.kind} {alarm.what} {alarm.reason}",
                )
    except Exception:
        with _pending_lock:
            _pending[:0] = alarms
        raise


def _try_recording_alarms(**_kwargs: object) -> None:
    try:
        record_pending_alarms()
    except Exception:
        # The log line was written when the alarm was raised; the next try comes when a
        # request or task ends, or the next alarm is raised.
        logger.exception("public key alarms could not be recorded in the audit log yet")


request_finished.connect(_try_recording_alarms, dispatch_uid="keys-public-key-alarms")
task_finished.connect(_try_recording_alarms, dispatch_uid="keys-public-key-alarms")
