"""Opening a request's thread so that no row written around the application passes for ours.

A row is *forged* (never shown; the staff page raises the alarm) when its body does not open
under its kind, author and hour (``RequestMessage.sealed_binding``), or when it is sealed to the
inbox key but is not the person's message or a notice. Older rows: bound to the item id only, a
data-key body must be a staff reply and an inbox body the person's or a notice (the author is
not bound, and staff pages say so); bound to kind and author only, the hour is believed up to the
thread's first hour-bound row. Why: SECURITY.md, "Outside review of the key layer and the
status page", finding 3 and the second review's re-dated replies.
"""

from __future__ import annotations

import enum
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from safehaven.core.crypto import SealError
from safehaven.intake.choices import (
    CHECK_IN_NOTICES,
    INBOX_KINDS,
    MessageKind,
    Notice,
    notice_from,
)
from safehaven.intake.models import HelpRequest, RequestMessage
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.wrapping import is_inbox_blob


class Voucher(enum.Enum):
    """What vouches for a message's origin."""

    # Sealed under the data key, kind and author bound: a key holder (or the person's own
    # session) wrote it.
    DATA_KEY = "data key"
    # Sealed to the public inbox key: anyone with write access to the database could have.
    INBOX = "inbox"
    # A staff reply sealed under the data key before the author was bound in.
    DATA_KEY_AUTHOR_UNBOUND = "data key, author unbound"


class ForgedMessage(Exception):
    """A message row whose seal does not match its clear columns (kind, author, item id)."""


@dataclass(frozen=True, repr=False)
class CheckedMessage:
    message: RequestMessage
    body: str
    voucher: Voucher
    # False for a row sealed before its hour was bound into the seal.
    hour_bound: bool = True

    def __repr__(self) -> str:
        return f"CheckedMessage({self.message.kind}, {self.voucher.name})"

    @property
    def notice(self) -> Notice | None:
        return notice_from(self.body) if self.message.kind == MessageKind.NOTICE else None

    @property
    def is_check_in(self) -> bool:
        return self.notice in CHECK_IN_NOTICES


def check_message(message: RequestMessage, opened: OpenedRecord) -> CheckedMessage:
    """Open ``message``'s body; raise ForgedMessage if its seal and its row disagree."""
    if message.body is None:
        raise ForgedMessage
    sealed = bytes(message.body)
    from_inbox = is_inbox_blob(sealed)
    if from_inbox and message.kind not in INBOX_KINDS:
        raise ForgedMessage
    voucher = Voucher.INBOX if from_inbox else Voucher.DATA_KEY
    for binding, hour_bound in (
        (message.sealed_binding("body"), True),
        (message.undated_binding("body"), False),
    ):
        try:
            body = opened.open_text(binding, sealed, allow_inbox=from_inbox)
        except SealError:
            continue
        return CheckedMessage(message, body, voucher, hour_bound=hour_bound)
    return _check_older_message(message, opened, sealed, from_inbox)


def _check_older_message(
    message: RequestMessage, opened: OpenedRecord, sealed: bytes, from_inbox: bool
) -> CheckedMessage:
    fits = message.kind in INBOX_KINDS if from_inbox else message.kind == MessageKind.FROM_STAFF
    if not fits:
        raise ForgedMessage
    try:
        body = opened.open_text(message.legacy_binding("body"), sealed, allow_inbox=from_inbox)
    except SealError:
        raise ForgedMessage from None
    voucher = Voucher.INBOX if from_inbox else Voucher.DATA_KEY_AUTHOR_UNBOUND
    return CheckedMessage(message, body, voucher, hour_bound=False)


def acknowledgement_body(notice: RequestMessage, note: str) -> str:
    return json.dumps({"notice": str(notice.item_id), "note": note}, ensure_ascii=False)


def acknowledgement_of(checked: CheckedMessage) -> tuple[uuid.UUID, str] | None:
    """The item id of the notice an acknowledgement names, and its note."""
    if checked.message.kind != MessageKind.ACKNOWLEDGEMENT:
        return None
    try:
        data = json.loads(checked.body)
        return uuid.UUID(data["notice"]), str(data.get("note", ""))
    except (ValueError, KeyError, TypeError):
        return None


@dataclass(repr=False)
class CheckedThread:
    """A request's thread, checked: what may be shown, and what was forged (never shown)."""

    messages: list[CheckedMessage] = field(default_factory=list)
    forged: list[RequestMessage] = field(default_factory=list)
    # The item id of each acknowledged notice: its acknowledgement and the note in it.
    acknowledgements: dict[uuid.UUID, tuple[CheckedMessage, str]] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"CheckedThread({len(self.messages)} shown, {len(self.forged)} forged)"

    def unacknowledged_check_ins(self) -> list[CheckedMessage]:
        return [
            checked
            for checked in self.messages
            if checked.is_check_in and checked.message.item_id not in self.acknowledgements
        ]


def check_thread(
    help_request: HelpRequest,
    opened: OpenedRecord,
    *,
    kinds: Iterable[MessageKind] | None = None,
) -> CheckedThread:
    """Check every message of the request (of ``kinds`` only, if given), oldest first.
    ``opened`` is the thread's record (``HelpRequest.message_record_id``)."""
    if opened.record_id != help_request.message_record_id:
        # Every row would look forged: a caller passed the request's record, not the thread's.
        raise ValueError("check_thread needs the thread's record (message_record_id) opened")
    messages = help_request.messages.select_related("author")
    if kinds is not None:
        messages = messages.filter(kind__in=list(kinds))
    thread = CheckedThread()
    for message in messages:
        try:
            thread.messages.append(check_message(message, opened))
        except ForgedMessage:
            thread.forged.append(message)
    _refuse_redated_older_messages(thread)
    notices = {checked.message.item_id for checked in thread.messages if checked.is_check_in}
    for checked in thread.messages:
        acknowledged = acknowledgement_of(checked)
        if acknowledged is not None and acknowledged[0] in notices:
            thread.acknowledgements.setdefault(acknowledged[0], (checked, acknowledged[1]))
    return thread


def _refuse_redated_older_messages(thread: CheckedThread) -> None:
    """A row whose hour is not bound was written before every row whose hour is: dated later
    than the first of those, it was moved (an old reply made to look like the newest)."""
    bound_hours = [checked.message.created_at for checked in thread.messages if checked.hour_bound]
    if not bound_hours:
        return
    first_bound = min(bound_hours)
    redated = [
        checked
        for checked in thread.messages
        if not checked.hour_bound and checked.message.created_at > first_bound
    ]
    for checked in redated:
        thread.messages.remove(checked)
        thread.forged.append(checked.message)
