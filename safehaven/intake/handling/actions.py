"""What staff do with a help request: open it (audited), answer the person, move its status,
acknowledge a check-in, share it with a caseworker, report a forged message."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from safehaven.accounts.access import ROLE_PERMISSIONS, Perm
from safehaven.accounts.models import Membership, OrganisationKind, Role, User
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.intake.choices import TRIAGE_STATUSES, MessageKind, RequestStatus
from safehaven.intake.models import HelpRequest, RequestMessage
from safehaven.intake.tasks import enqueue_shred
from safehaven.intake.thread.keys import open_thread
from safehaven.intake.thread.message_checks import acknowledgement_body, check_thread
from safehaven.keys.actions.records import do_grant_record
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind, UserKeyPair
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record

logger = logging.getLogger(__name__)


class RequestActionRefused(Exception):
    """The action cannot be done; the message says why in words staff understand."""


def do_open_help_request(
    help_request: HelpRequest, *, actor: User, private_key: bytes, mark_read: bool
) -> OpenedRecord:
    """Open a request with the reader's own key and record the read (SECURITY.md: every read
    of a case is audited). ``mark_read`` clears the "new activity" flag (triage, not partners).

    Raises RecordUnavailable when the reader's key does not open it; nothing is recorded then.
    """
    opened = open_record(help_request.record_id, user=actor, private_key=private_key)
    help_request.open_with(opened)
    thread = open_thread(help_request, user=actor, private_key=private_key) if mark_read else None
    with transaction.atomic():
        # The row before the audit log, as the requester's actions take them: the other order
        # could leave each waiting for the other (PostgreSQL).
        if thread is not None:
            _refresh_check_in_flag(help_request, thread)
        if mark_read and help_request.unread_since is not None:
            help_request.unread_since = None
            help_request.save(update_fields=["unread_since"])
        record_event(EventType.REQUEST_VIEWED, actor=actor, target=help_request)
    return opened


def _refresh_check_in_flag(help_request: HelpRequest, thread: OpenedRecord) -> None:
    """Set the clear "check-in waits" flag from the sealed thread, with the row locked (a
    check-in takes the row first, so none lands in between). The flag is only a copy, for the
    inbox: whoever can write the database can clear it, and a check-in from before the flag
    existed never set it; the first triage reader puts it right."""
    locked = HelpRequest.objects.select_for_update().filter(pk=help_request.pk)
    list(locked.values_list("pk", flat=True))
    waiting = bool(check_thread(help_request, thread).unacknowledged_check_ins())
    if waiting != help_request.check_in_unacknowledged:
        locked.update(check_in_unacknowledged=waiting)
        help_request.check_in_unacknowledged = waiting


def _refuse_if_closed_to_the_person(help_request: HelpRequest) -> None:
    if help_request.is_withdrawn or help_request.is_shredded:
        raise RequestActionRefused(
            _("The person withdrew this request: it can no longer be answered or changed.")
        )


_CLOSING_FIELDS = ("status", "withdrawn_at", "shred_due_at", "shredded_at")


def _refresh_locked(help_request: HelpRequest) -> None:
    """In the caller's transaction: read the request's status again, with its row locked, so
    that a withdrawal committed since the page was loaded is seen and none can commit until
    this transaction ends; then refuse if the person has withdrawn."""
    current = (
        HelpRequest.objects.select_for_update().values(*_CLOSING_FIELDS).get(pk=help_request.pk)
    )
    for name in _CLOSING_FIELDS:
        # All of them: the refusal page says when a withdrawn request will be erased.
        setattr(help_request, name, current[name])
    _refuse_if_closed_to_the_person(help_request)


def do_reply_to_request(
    help_request: HelpRequest, *, actor: User, private_key: bytes, text: str
) -> RequestMessage:
    """Answer the person in their thread; sealed under the thread's key, which the replier
    opens with their own (the request's story need not open: an interpreter given the thread
    answers too). Raises RecordUnavailable if it does not open."""
    _refuse_if_closed_to_the_person(help_request)
    opened = open_thread(help_request, user=actor, private_key=private_key)
    with transaction.atomic():
        _refresh_locked(help_request)
        message = RequestMessage(
            record_id=opened.record_id,
            help_request=help_request,
            kind=MessageKind.FROM_STAFF,
            author=actor,
        )
        message.open_with(opened).seal("body", text)
        message.save()
        record_event(EventType.REQUEST_MESSAGE_SENT, actor=actor, target=help_request)
    return message


def do_change_request_status(
    help_request: HelpRequest, *, actor: User, private_key: bytes, status: RequestStatus
) -> None:
    """Move a request to another triage status; the person sees only its neutral wording.

    Only someone whose key opens the request may: closing a request takes it out of the inbox,
    and nobody should do that to a request they could not read. Raises RecordUnavailable."""
    _refuse_if_closed_to_the_person(help_request)
    if status not in TRIAGE_STATUSES:
        raise RequestActionRefused(_("Only the person can withdraw their request."))
    open_record(help_request.record_id, user=actor, private_key=private_key)
    with transaction.atomic():
        _refresh_locked(help_request)
        old = RequestStatus(help_request.status)
        if status == old:
            raise RequestActionRefused(_("The request already has this status."))
        help_request.status = status
        help_request.save(update_fields=["status"])
        record_event(
            EventType.REQUEST_STATUS_CHANGED,
            actor=actor,
            target=help_request,
            detail=f"{old.value} -> {status.value}",
        )


def do_acknowledge_check_in(
    help_request: HelpRequest,
    *,
    notice_item_id: uuid.UUID,
    actor: User,
    private_key: bytes,
    note: str,
) -> None:
    """Acknowledge one check-in notice, ordinary or danger alike, with a note sealed under the
    thread's key. Once none waits, the request leaves the "check-in" state and a withdrawn
    request's erasure is no longer held. Also on a withdrawn request: that is when it matters.
    Raises RecordUnavailable if the actor's key does not open the request's thread."""
    opened = open_thread(help_request, user=actor, private_key=private_key)
    with transaction.atomic():
        locked = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        if locked.is_shredded:
            raise RequestActionRefused(_("This request was erased."))
        waiting = {
            checked.message.item_id: checked
            for checked in check_thread(locked, opened).unacknowledged_check_ins()
        }
        notice = waiting.get(notice_item_id)
        if notice is None:
            raise RequestActionRefused(
                _("This check-in was acknowledged already, or there is no such check-in.")
            )
        acknowledgement = RequestMessage(
            record_id=opened.record_id,
            help_request=locked,
            kind=MessageKind.ACKNOWLEDGEMENT,
            author=actor,
        )
        acknowledgement.open_with(opened).seal("body", acknowledgement_body(notice.message, note))
        acknowledgement.save()
        if len(waiting) == 1:
            _release_check_in_hold(locked)
        record_event(EventType.CHECK_IN_ACKNOWLEDGED, actor=actor, target=locked)
    help_request.check_in_unacknowledged = locked.check_in_unacknowledged
    help_request.shred_due_at = locked.shred_due_at


def _release_check_in_hold(help_request: HelpRequest) -> None:
    fields = ["check_in_unacknowledged"]
    help_request.check_in_unacknowledged = False
    planned = help_request.planned_erasure
    if planned is not None:
        # Erased as planned, or now if the plan has passed while the check-in held it.
        help_request.shred_due_at = max(planned, this_hour())
        fields.append("shred_due_at")
        transaction.on_commit(lambda: enqueue_shred(help_request))
    help_request.save(update_fields=fields)


def staff_who_may_receive_requests() -> QuerySet[User]:
    """Whom a request can be shared with: active staff of a relocating organisation in a role
    that reads shared requests, with a key pair that a duress login has not suspended, and no
    partner role (a partner sees its own referrals only). Not someone who must still choose a
    new password: the administrator who reset it knows the interim one, which unlocks the key."""
    roles = ROLE_PERMISSIONS[Perm.VIEW_SHARED_REQUESTS]
    readers = Membership.objects.filter(
        role__in=roles, organisation__kind=OrganisationKind.RELOCATING
    ).values("user_id")
    with_keys = UserKeyPair.objects.filter(suspended_at__isnull=True).values("user_id")
    partners = Membership.objects.filter(role=Role.PARTNER).values("user_id")
    return (
        User.objects.filter(is_active=True, must_change_password=False, pk__in=readers)
        .filter(pk__in=with_keys)
        .exclude(pk__in=partners)
        .order_by("username")
    )


def do_share_help_request(
    help_request: HelpRequest, *, to_user: User, actor: User, private_key: bytes
) -> None:
    """Wrap the request's key, and its thread's, to one staff member's own key, so that they
    can list and read it (need to know: this one request, never the inbox). Each grant is
    audited by the key layer (RECORD_GRANTED); the reader's key must open the request. Raises
    RequestActionRefused."""
    _refuse_if_closed_to_the_person(help_request)
    if not staff_who_may_receive_requests().filter(pk=to_user.pk).exists():
        raise RequestActionRefused(
            _(
                "A request can be shared only with a caseworker of your organisation who has "
                "set up their keys, and never with a partner."
            )
        )
    shared = RecordKeyWrap.objects.filter(
        record_key__record_id=help_request.record_id, kind=RecordWrapKind.USER, user=to_user
    )
    if shared.exists():
        raise RequestActionRefused(_("This request is already shared with them."))
    try:
        with transaction.atomic():
            _refresh_locked(help_request)
            held = set(
                RecordKeyWrap.objects.filter(
                    record_key__record_id__in=help_request.record_ids,
                    kind=RecordWrapKind.USER,
                    user=to_user,
                ).values_list("record_key__record_id", flat=True)
            )
            for record_id in [r for r in help_request.record_ids if r not in held]:
                do_grant_record(
                    record_id,
                    to_user=to_user,
                    granter=actor,
                    granter_private_key=private_key,
                    actor=actor,
                )
    except KeyActionRefused:
        raise RequestActionRefused(
            _("Your key cannot open this request, so you cannot share it.")
        ) from None


def do_report_forged_messages(
    help_request: HelpRequest, *, message_ids: Sequence[int], actor: User
) -> None:
    """Raise the alarm for thread rows whose seal does not match their row (written around the
    application: someone has write access to the database). They are never shown; this
    records who saw the alarm, and logs ids only."""
    if not message_ids:
        return
    ids = ",".join(str(message_id) for message_id in message_ids)
    logger.warning("forged messages in request %s: message ids %s", help_request.pk, ids)
    with transaction.atomic():
        record_event(
            EventType.MESSAGE_FORGED, actor=actor, target=help_request, detail=f"messages {ids}"
        )
