"""Reading one request's audit trail, itself audited."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from safehaven.accounts.models import User
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.models import HelpRequest
from safehaven.intake.requester_events import requester_events
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.records import open_record

TRAIL_LIMIT = 500


def do_read_request_trail(
    help_request: HelpRequest, *, actor: User, private_key: bytes | None
) -> tuple[list[AuditEvent], bool]:
    """The request's events, newest first: staff events by its record id, and, when the
    reader's key opens the request, the requester's own (found only through its key). The
    second value says whether the requester's events are in. Reading is audited."""
    ref = str(help_request.record_id)
    events = list(
        AuditEvent.objects.filter(Q(target_ref=ref) & ~Q(event_type=EventType.AUDIT_VIEWED))
        .select_related("actor", "organisation")
        .order_by("-sequence")[:TRAIL_LIMIT]
    )
    opened_requester = False
    if private_key is not None:
        try:
            opened = open_record(help_request.record_id, user=actor, private_key=private_key)
        except RecordUnavailable:
            pass
        else:
            events += requester_events(help_request, opened)
            opened_requester = True
    events.sort(key=lambda event: event.sequence, reverse=True)
    with transaction.atomic():
        record_event(
            EventType.AUDIT_VIEWED, actor=actor, target=help_request, detail="request trail"
        )
    return events, opened_requester
