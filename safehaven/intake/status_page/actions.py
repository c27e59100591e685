"""What a requester does on their status page: open it with the codename, write to us, change
their contact details, withdraw consent. The actor is always None (the person is anonymous).

Opening never tells a wrong codename from an unknown one: both take the same steps and give
the same answer, and both count against the address's codename rate limit. Only misses count:
a correct codename always opens, even from an address whose budget others spent (SECURITY.md).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass
from functools import cache
from typing import IO

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from safehaven.core.coarse_time import this_hour
from safehaven.core.crypto import KEY_SIZE, SealError, decrypt_with_key, encrypt_with_key
from safehaven.core.database_failures import refused_when_the_database_fails
from safehaven.core.event_types import EventType
from safehaven.core.public_forms.rate_limits import RateLimited
from safehaven.core.uploads.sanitise import EvidenceRefused, sanitise_evidence
from safehaven.intake.choices import (
    CHECK_IN_NOTICES,
    AttachmentKind,
    MessageKind,
    Notice,
    RequestStatus,
    padded_notice,
)
from safehaven.intake.codename import codename_lookup_hash, normalise_words
from safehaven.intake.models import (
    HelpRequest,
    RequestAttachment,
    RequestMessage,
    StatusSession,
)
from safehaven.intake.rate_budgets import LIMITER, Bucket
from safehaven.intake.requester_events import audit_requester_action
from safehaven.intake.status_codes.opening import ChooseOpening, open_choose_step
from safehaven.intake.status_page.check_in_listeners import tell_check_in_listeners
from safehaven.intake.status_page.session import RequesterSession, end_session, start_session
from safehaven.intake.submission.contact_hints import replace_contact_hints
from safehaven.intake.submission.sealing import match_phrase, seal_contacts
from safehaven.intake.tasks import enqueue_shred
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.models import RecordKey, RecordKeyWrap
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import codename_key, open_record_with_codename


class StatusUnavailable(Exception):
    """The database failed while a status page action ran: nothing was changed."""

    message = _(
        "This could not be done just now. What you wrote is still here: please try again in "
        "a little while."
    )


# Stands in for a request when a codename finds none, so that a miss costs what a hit does.
_DECOY_RECORD_ID = uuid.UUID(int=0)


@cache
def _decoy_wrap() -> bytes:
    # A well-formed wrap under a key nobody has: opening it fails at the tag check, as a
    # wrong key would.
    return encrypt_with_key(os.urandom(KEY_SIZE), os.urandom(KEY_SIZE), b"decoy")


class TooManyCodenameAttempts(RateLimited):
    """Too many codenames tried from one address; the message is safe to show."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        minutes = self.minutes
        self.message = ngettext(
            "Many codenames have been tried from your connection in a short time. Please wait "
            "about %(minutes)d minute, then try again.",
            "Many codenames have been tried from your connection in a short time. Please wait "
            "about %(minutes)d minutes, then try again.",
            minutes,
        ) % {"minutes": minutes}


class TooManyStatusChanges(RateLimited):
    """Too many messages and contact changes from one request's status pages; nothing was
    changed and the message is safe to show."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        minutes = self.minutes
        self.message = ngettext(
            "Many messages and changes have been sent from this page in a short time, so this "
            "one was not sent yet. What you wrote is still here: please wait about "
            "%(minutes)d minute, then send it again.",
            "Many messages and changes have been sent from this page in a short time, so this "
            "one was not sent yet. What you wrote is still here: please wait about "
            "%(minutes)d minutes, then send it again.",
            minutes,
        ) % {"minutes": minutes}


def _count_status_change(help_request: HelpRequest) -> None:
    decision = LIMITER.hit(Bucket.STATUS_CHANGES, f"request {help_request.record_id}")
    if not decision.allowed:
        raise TooManyStatusChanges(decision.retry_after)


@dataclass(frozen=True, repr=False)
class StatusOpening:
    """A codename that opened its request: a new session's cookie, or none when the request
    was withdrawn (its page then says when it will be erased). ``message_refused``: a message
    carried through the codename form was over the request's budget and not sent (the page
    opened, and a check-in with it counted, all the same)."""

    help_request: HelpRequest
    cookie_value: str | None
    opened: OpenedRecord | None = None
    # The thread's record (``opened`` itself for a request made before threads had one).
    thread: OpenedRecord | None = None
    message_refused: TooManyStatusChanges | None = None

    def __repr__(self) -> str:
        return "StatusOpening(<redacted>)"


def _cost_of_a_miss(codename: str) -> None:
    """Do what a hit does before it succeeds: two lookups, a key derivation, a decryption."""
    RecordKey.objects.filter(record_id=_DECOY_RECORD_ID).exists()
    RecordKeyWrap.objects.filter(record_key__record_id=_DECOY_RECORD_ID).exists()
    with contextlib.suppress(SealError, ValueError):
        decrypt_with_key(codename_key(codename, _DECOY_RECORD_ID), _decoy_wrap(), b"decoy")


def _post_notice(help_request: HelpRequest, notice: Notice) -> None:
    message = RequestMessage(
        record_id=help_request.message_record_id,
        help_request=help_request,
        kind=MessageKind.NOTICE,
    )
    message.seal_for_inbox("body", padded_notice(notice))
    message.save()


def _lock_unless_erased(help_request: HelpRequest) -> bool:
    """Lock the request's row for this transaction; False if it was erased meanwhile.

    First, before anything is written: a triage reader clearing the "new" flag, or an erasure,
    is then either done (and seen here) or waits for this transaction, so a notice or message
    is never left unflagged or written to an erased request. (Triage takes the row before the
    audit log too, so the two never wait for each other.)"""
    locked = HelpRequest.objects.select_for_update().filter(pk=help_request.pk, shredded_at=None)
    return bool(list(locked.values_list("pk", flat=True)))


def _mark_unread(help_request: HelpRequest) -> None:
    # In the database, not from the row as loaded (whose flag triage may have cleared since);
    # the row is locked (_lock_unless_erased), so what this reads is what stays.
    # The hour only, like every time of a requester's action (core.coarse_time).
    now = this_hour()
    HelpRequest.objects.filter(pk=help_request.pk, unread_since=None).update(unread_since=now)


@refused_when_the_database_fails(StatusUnavailable)
def do_open_status(
    codename: str, *, phrase: str, client: str, message: str = ""
) -> StatusOpening | ChooseOpening | None:
    """Open the request a codename belongs to and start a status session; None for any
    codename that opens nothing. A check-in or danger phrase leaves a sealed notice for staff
    and changes nothing the person sees. ``message``: one the person wrote while their page
    was open and sent after it had closed; it is sent now, with the opening.

    Raises TooManyCodenameAttempts for a miss past the address's budget of misses. The lookup
    and its cost come first, whatever the budget: a hit never waits for one (an address is
    shared: carrier NAT, Tor), and a miss over budget took the same steps as one within.

    A one-time status code opens only the step where the person chooses their codename
    (``ChooseOpening``, nothing of the request); an expired one goes on as any codename does,
    and opens nothing at the cost of any miss (``intake.status_codes``)."""
    codename = normalise_words(codename)
    help_request = HelpRequest.objects.filter(
        codename_hash=codename_lookup_hash(codename).hex(), shredded_at__isnull=True
    ).first()
    if help_request is None:
        _cost_of_a_miss(codename)
        _count_a_miss(client)
        return None
    choosing = open_choose_step(help_request, codename)
    if choosing is not None:
        return choosing
    try:
        opened = open_record_with_codename(help_request.record_id, codename)
    except RecordUnavailable:
        _count_a_miss(client)
        return None
    help_request.open_with(opened)
    try:
        thread = _open_thread_with_codename(help_request, codename) or opened
    except RecordUnavailable:
        _count_a_miss(client)
        return None
    notice = match_phrase(help_request, phrase)
    if help_request.is_withdrawn:
        # Nothing more reaches a withdrawn request but a check-in: a withdrawal may have been
        # forced, and a danger check-in must reach staff before the erasure. The page (the
        # same whatever the phrase) says nothing of it.
        if notice is not None:
            with transaction.atomic():
                _receive(help_request, opened, notice=notice, message="")
        return StatusOpening(help_request, None)
    message_refused = None
    if message:
        try:
            _count_status_change(help_request)
        except TooManyStatusChanges as refusal:
            # Never at the cost of the opening or of a check-in (a danger one above all).
            message_refused, message = refusal, ""
    with transaction.atomic():
        _receive(help_request, opened, notice=notice, message=message)
        cookie_value = start_session(help_request, opened, thread)
    return StatusOpening(help_request, cookie_value, opened, thread, message_refused)


def _open_thread_with_codename(help_request: HelpRequest, codename: str) -> OpenedRecord | None:
    """The thread's own record, opened with the codename; None for a request made before
    threads had one (its thread is under the request's key)."""
    if help_request.thread_record_id is None:
        return None
    return open_record_with_codename(help_request.thread_record_id, codename)


def _count_a_miss(client: str) -> None:
    """Count a codename that opened nothing against the address; past its budget, refuse."""
    decision = LIMITER.hit(Bucket.CODENAME, client)
    if not decision.allowed:
        raise TooManyCodenameAttempts(decision.retry_after)


def _receive(
    help_request: HelpRequest, opened: OpenedRecord, *, notice: Notice | None, message: str
) -> None:
    """What an opening brought (a check-in, a kept message): posted, marked unread for triage,
    audited once together. Nothing, if the request was erased meanwhile."""
    if (notice is None and not message) or not _lock_unless_erased(help_request):
        return
    received = []
    if notice is not None:
        # The same word for a check-in and a danger check-in: the notice says which.
        _post_notice(help_request, notice)
        received.append("check-in")
        if notice in CHECK_IN_NOTICES:
            _wait_for_acknowledgement(help_request)
            # A journey under way hears of it (travel), alike for both phrases. Before this
            # opening takes the audit chain's head: staff actions lock a case's rows first and
            # the chain head last, and a listener locks in that order too.
            tell_check_in_listeners(help_request, danger=notice == Notice.DANGER)
    if message:
        _seal_requester_message(help_request, message)
        received.append("message")
    _mark_unread(help_request)
    audit_requester_action(
        EventType.REQUEST_MESSAGE_RECEIVED,
        help_request,
        opened,
        detail=_received_detail(received),
    )


def _wait_for_acknowledgement(help_request: HelpRequest) -> None:
    """Any check-in, ordinary or danger, waits for a key holder's acknowledgement and, on a
    withdrawn request, holds its erasure until then (at most ``CHECK_IN_ERASURE_HOLD`` past
    the plan): the same columns change the same way, so a database copy cannot tell which
    phrase was typed."""
    changes: dict[str, object] = {"check_in_unacknowledged": True}
    if help_request.is_withdrawn:
        help_request.shred_due_at = help_request.latest_erasure
        changes["shred_due_at"] = help_request.shred_due_at
        # The erasure queued at the withdrawal finds nothing due and stops; this one erases.
        transaction.on_commit(lambda: enqueue_shred(help_request))
    HelpRequest.objects.filter(pk=help_request.pk).update(**changes)
    help_request.check_in_unacknowledged = True


def _received_detail(received: list[str]) -> str:
    # A message alone has no detail, as when it is sent from an open page.
    return "" if received == ["message"] else " and ".join(received)


@refused_when_the_database_fails(StatusUnavailable)
def do_send_requester_message(session: RequesterSession, text: str) -> None:
    """A message from the person, sealed to the request's inbox key for staff to read.
    Raises TooManyStatusChanges past the request's budget (nothing sent)."""
    help_request = session.help_request
    _count_status_change(help_request)
    with transaction.atomic():
        _lock_unless_erased(help_request)  # never erased: the session shows it is not withdrawn
        _seal_requester_message(help_request, text)
        _mark_unread(help_request)
        audit_requester_action(EventType.REQUEST_MESSAGE_RECEIVED, help_request, session.opened)


def _seal_requester_message(help_request: HelpRequest, text: str) -> None:
    message = RequestMessage(
        record_id=help_request.message_record_id,
        help_request=help_request,
        kind=MessageKind.FROM_REQUESTER,
    )
    message.seal_for_inbox("body", text)
    message.save()


@refused_when_the_database_fails(StatusUnavailable)
def do_change_contact_details(
    session: RequesterSession, *, contacts: dict[str, str], contact_times: str, may_leave: bool
) -> None:
    """Replace the person's contact details (sealed under the request's key, which the session
    holds) and tell staff with a notice. Raises TooManyStatusChanges past the request's budget
    (nothing changed)."""
    help_request = session.help_request
    _count_status_change(help_request)
    with transaction.atomic():
        _lock_unless_erased(help_request)  # never erased: the session shows it is not withdrawn
        seal_contacts(help_request, contacts, contact_times, may_leave)
        help_request.save(update_fields=["contacts", "contact_times", "may_leave_message"])
        replace_contact_hints(help_request, contacts)
        _post_notice(help_request, Notice.CONTACTS_CHANGED)
        _mark_unread(help_request)
        audit_requester_action(
            EventType.REQUEST_UPDATED_BY_REQUESTER,
            help_request,
            session.opened,
            detail="contact details",
        )


@refused_when_the_database_fails(StatusUnavailable)
def do_withdraw_help_request(session: RequesterSession) -> HelpRequest:
    """The person withdraws consent: every session ends now, and the request is erased when
    the grace period (``INTAKE_WITHDRAWAL_GRACE``) is over."""
    help_request = session.help_request
    with transaction.atomic():
        help_request.withdrawn_at = this_hour()
        help_request.shred_due_at = help_request.planned_erasure
        help_request.status = RequestStatus.WITHDRAWN
        help_request.save(update_fields=["withdrawn_at", "shred_due_at", "status"])
        StatusSession.objects.filter(help_request=help_request).delete()
        audit_requester_action(EventType.REQUEST_WITHDRAWN, help_request, session.opened)
        transaction.on_commit(lambda: enqueue_shred(help_request))
    session.ended = True
    return help_request


@refused_when_the_database_fails(StatusUnavailable)
def do_leave_status(session: RequesterSession) -> None:
    """End this session now (the person pressed "Leave"); nothing about the request changes.

    Not audited, on purpose, like the opening of a session: an event per visit would be a
    record of when the person looked at their page, kept for as long as the audit log is."""
    with transaction.atomic():
        end_session(session)


# What one request may hold of the person's document photos: enough for a passport, an ID card
# and a few letters, not a store of files.
MAX_ATTACHMENTS_PER_REQUEST = 10
MAX_ATTACHMENT_BYTES_PER_REQUEST = 40 * 1024 * 1024


class AttachmentRefused(Exception):
    """A document photo over the request's cap; nothing was stored. Safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _check_attachment_cap(help_request: HelpRequest, size: int) -> None:
    # The person's own photos only: a referring partner's evidence must not use up their cap.
    held = RequestAttachment.objects.filter(
        help_request=help_request, kind=AttachmentKind.DOCUMENT_PHOTO
    ).aggregate(count=Count("pk"), size=Sum(Length("content")))
    if held["count"] >= MAX_ATTACHMENTS_PER_REQUEST:
        raise AttachmentRefused(
            str(
                _(
                    "You have already sent %(count)d photos, as many as one request can hold. "
                    "If we need more, we will ask you."
                )
                % {"count": MAX_ATTACHMENTS_PER_REQUEST}
            )
        )
    if (held["size"] or 0) + size > MAX_ATTACHMENT_BYTES_PER_REQUEST:
        raise AttachmentRefused(
            str(
                _(
                    "Your photos together are larger than this request can hold. Please send "
                    "a smaller photo, or write to us and we will tell you what to do."
                )
            )
        )


@refused_when_the_database_fails(StatusUnavailable)
def do_send_document_photo(session: RequesterSession, upload: IO[bytes]) -> RequestAttachment:
    """A photo of a document from the person, re-encoded without metadata and sealed to the
    request's inbox key like their messages. The budget and the cap are counted before the
    photo is decoded, the costly part, so a refusal costs nothing: raises TooManyStatusChanges
    past the request's budget, AttachmentRefused past its cap or for a file that cannot be
    made safe (nothing stored)."""
    help_request = session.help_request
    _count_status_change(help_request)
    _check_attachment_cap(help_request, 0)
    try:
        # Outside the transaction: decoding a large photo takes a while.
        photo = sanitise_evidence(upload)
    except EvidenceRefused as refusal:
        raise AttachmentRefused(refusal.message) from None
    with transaction.atomic():
        _lock_unless_erased(help_request)  # never erased: the session shows it is not withdrawn
        _check_attachment_cap(help_request, len(photo.content))
        attachment = RequestAttachment(record_id=help_request.record_id, help_request=help_request)
        attachment.seal_for_inbox("content", photo.content)
        attachment.seal_for_inbox("content_type", photo.content_type)
        attachment.save()
        _mark_unread(help_request)
        audit_requester_action(
            EventType.REQUEST_UPDATED_BY_REQUESTER,
            help_request,
            session.opened,
            detail="document photo",
        )
    return attachment
