"""Writing and reading the messages about a referral, for either side: the partner member on
the portal, staff on the request's partner-messages page.

Every body is sealed under the request's data key, opened with the writer's own key (the
partner's team and the request's staff readers all hold it): a row a database writer inserted,
or sealed to the public inbox key, does not pass for one of ours (SECURITY.md, "Partner
organisations").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.core.audit import record_event
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.intake.models import HelpRequest
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record
from safehaven.keys.wrapping import is_inbox_blob
from safehaven.partners.choices import MessageDirection
from safehaven.partners.models import ReferralMessage


class ReferralMessageRefused(Exception):
    """A message that cannot be sent; ``message`` says why, safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def refuse_unless_open_to_additions(help_request: HelpRequest) -> None:
    """Nothing more is added to a request the person withdrew (it waits for its erasure)."""
    if help_request.is_withdrawn or help_request.is_shredded:
        raise ReferralMessageRefused(
            _("The person withdrew this request, so nothing more can be added to it.")
        )


def do_send_referral_message(
    help_request: HelpRequest,
    *,
    direction: MessageDirection,
    text: str,
    actor: User,
    private_key: bytes,
) -> ReferralMessage:
    """Seal ``text`` under the request's data key and record that it was sent (ids only).
    Raises RecordUnavailable when the actor's key does not open the request,
    ReferralMessageRefused for an empty text or a withdrawn request."""
    if not text.strip():
        raise ReferralMessageRefused(_("Please write a message."))
    refuse_unless_open_to_additions(help_request)
    opened = open_record(help_request.record_id, user=actor, private_key=private_key)
    with transaction.atomic():
        message = ReferralMessage(
            record_id=help_request.record_id,
            help_request=help_request,
            direction=direction,
            author=actor,
        )
        message.open_with(opened).seal("body", text)
        message.save()
        record_event(
            EventType.REFERRAL_MESSAGE_SENT,
            actor=actor,
            target=help_request,
            detail=f"message {message.item_id} {direction.value}",
        )
    return message


@dataclass(frozen=True, repr=False)
class ShownMessage:
    """One message as a page shows it; ``body`` is None when the row does not match its seal."""

    direction: str
    direction_label: str
    author: str
    created_at: datetime
    body: str | None

    def __repr__(self) -> str:
        return f"ShownMessage({self.direction})"

    @property
    def from_partner(self) -> bool:
        return self.direction == MessageDirection.FROM_PARTNER


def _opened_body(row: ReferralMessage, opened: OpenedRecord) -> str | None:
    sealed = row.body
    if row.record_id != opened.record_id:
        return None  # moved from another request
    # Only a key holder writes these messages: a body sealed to the public inbox key was
    # written around the application, whatever it says.
    if sealed is None or is_inbox_blob(bytes(sealed)):
        return None
    try:
        return row.open_with(opened).sealed("body")
    except SealError:
        return None


def open_referral_messages(
    help_request: HelpRequest, opened: OpenedRecord, *, for_partner: bool
) -> list[ShownMessage]:
    """The request's messages with the partner, oldest first, opened with ``opened`` (the
    request's own record). ``for_partner``: staff names are not shown to the partner."""
    rows = ReferralMessage.objects.filter(help_request=help_request).select_related("author")
    shown = []
    for row in rows:
        if for_partner and row.direction == MessageDirection.FROM_STAFF:
            author = ""
        else:
            author = row.author.username if row.author is not None else ""
        shown.append(
            ShownMessage(
                direction=row.direction,
                direction_label=str(row.get_direction_display()),
                author=author,
                created_at=row.created_at,
                body=_opened_body(row, opened),
            )
        )
    return shown


def forged_count(messages: list[ShownMessage]) -> int:
    return sum(1 for message in messages if message.body is None)


def do_open_referral_messages(
    help_request: HelpRequest, *, actor: User, private_key: bytes, for_partner: bool
) -> list[ShownMessage]:
    """Open the request's messages with the partner with the reader's own key and record the
    read (ids only). Raises RecordUnavailable when the key does not open the request."""
    opened = open_record(help_request.record_id, user=actor, private_key=private_key)
    shown = open_referral_messages(help_request, opened, for_partner=for_partner)
    with transaction.atomic():
        record_event(
            EventType.REQUEST_VIEWED, actor=actor, target=help_request, detail="partner messages"
        )
    return shown
