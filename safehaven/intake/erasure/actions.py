"""Erasing withdrawn requests once their grace period is over (crypto-shredding).

What stays is what reports count and what names no one: month received, country, status, risk
band and referring organisation. Everything the person typed becomes unreadable for good: the
key layer destroys every wrap of the data key and of the thread's key and blanks the sealed
fields; the codename lookup hash, the duplicate hints, the thread and any status session go
too, and the apps above are told (``signals.help_request_erased``) to erase their copies.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from safehaven.accounts.models import User
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.intake.erasure.signals import help_request_erased
from safehaven.intake.models import (
    ContactHint,
    HelpRequest,
    RequestAttachment,
    RequestMessage,
    StatusSession,
)
from safehaven.keys.actions.records import do_shred_record
from safehaven.keys.models import ShredReason

# The timer runs hourly: an erasure is late only once a run should have done it.
ERASURE_LATE_AFTER = timedelta(hours=2)


def do_shred_help_request(
    help_request: HelpRequest,
    *,
    actor: User | None,
    reason: ShredReason = ShredReason.CONSENT_WITHDRAWN,
) -> None:
    """Erase a request for good; its figures remain. ``reason``: the withdrawal by default;
    retention (reports) erases declined requests and a shredded case's requests."""
    with transaction.atomic():
        # The request's record and its thread's: each key destroyed and listed as shredded.
        for record_id in help_request.record_ids:
            do_shred_record(record_id, actor=actor, reason=reason)
        RequestMessage.objects.filter(help_request=help_request).delete()
        RequestAttachment.objects.filter(help_request=help_request).delete()
        ContactHint.objects.filter(help_request=help_request).delete()
        StatusSession.objects.filter(help_request=help_request).delete()
        help_request.codename_hash = None
        help_request.languages = []
        help_request.page_language = ""
        help_request.has_checkin_phrase = False
        # Only the band stays: the exact score follows from the (sealed) risk indicators.
        help_request.risk_score = 0
        # The month is what figures count; the day would narrow down who sent it.
        help_request.consented_on = help_request.received_month
        help_request.unread_since = None
        help_request.check_in_unacknowledged = False
        # The hour only: the erasure falls due a fixed grace after the withdrawal, so its
        # exact time would give the withdrawal's (core.coarse_time).
        help_request.shredded_at = this_hour()
        help_request.save(
            update_fields=[
                "codename_hash",
                "languages",
                "page_language",
                "has_checkin_phrase",
                "risk_score",
                "consented_on",
                "unread_since",
                "check_in_unacknowledged",
                "shredded_at",
            ]
        )
        # Copies of what the person sent (a case's evidence) go with it: the withdrawal page
        # promises that what they sent is deleted.
        help_request_erased.send(sender=HelpRequest, help_request=help_request)
        record_event(EventType.REQUEST_SHREDDED, actor=actor, target=help_request)


def withdrawn_and_due(by: datetime) -> QuerySet[HelpRequest]:
    """Withdrawn requests not erased yet whose erasure was due by ``by``."""
    return HelpRequest.objects.filter(
        withdrawn_at__isnull=False, shredded_at__isnull=True, shred_due_at__lte=by
    )


def due_for_shredding(now: datetime | None = None) -> list[int]:
    now = timezone.now() if now is None else now
    return list(withdrawn_and_due(now).order_by("shred_due_at").values_list("pk", flat=True))


def shred_if_due(help_request_id: int, now: datetime | None = None) -> bool:
    """Erase one request if it is withdrawn, not yet erased and past its grace period."""
    now = timezone.now() if now is None else now
    with transaction.atomic():
        help_request = (
            HelpRequest.objects.select_for_update()
            .filter(
                pk=help_request_id,
                withdrawn_at__isnull=False,
                shredded_at__isnull=True,
                shred_due_at__lte=now,
            )
            .first()
        )
        if help_request is None:
            return False
        do_shred_help_request(help_request, actor=None)
    return True


def shred_due_requests(now: datetime | None = None) -> int:
    """Erase every withdrawn request whose grace period is over; return how many."""
    return sum(shred_if_due(pk, now) for pk in due_for_shredding(now))


def delete_expired_sessions(now: datetime | None = None) -> int:
    now = timezone.now() if now is None else now
    deleted, _detail = StatusSession.objects.filter(expires_at__lte=now).delete()
    return deleted


def count_late_erasures(now: datetime | None = None) -> int:
    """How many withdrawn requests are more than ``ERASURE_LATE_AFTER`` past their erasure
    time: none, while the hourly timer runs (``shred_withdrawn --check``)."""
    return withdrawn_and_due((now or timezone.now()) - ERASURE_LATE_AFTER).count()
