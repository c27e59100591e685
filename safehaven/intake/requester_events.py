"""Audit events of a requester's actions on their help request, and finding them again.

They keep the hour only and name the request by a ref under a key derived from its data key
(``core.audit_requester``): whoever has the request open finds its events; after
the erasure nobody can tie them to the request or to each other (SECURITY.md, "Coarse times").
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from safehaven.accounts.models import Organisation
from safehaven.core.audit_requester import find_requester_events, record_requester_event
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.models import HelpRequest
from safehaven.keys.opened import OpenedRecord

TARGET_TYPE = HelpRequest._meta.model_name or "helprequest"


def audit_requester_action(
    event_type: EventType,
    help_request: HelpRequest,
    opened: OpenedRecord,
    *,
    organisation: Organisation | None = None,
    detail: str = "",
) -> AuditEvent:
    """Record what the requester did, inside the action's transaction."""
    return record_requester_event(
        event_type,
        target=help_request,
        record_ref_key=opened.audit_ref_key(),
        organisation=organisation,
        detail=detail,
    )


def requester_events(help_request: HelpRequest, opened: OpenedRecord) -> list[AuditEvent]:
    """The requester's events of this request, oldest first (none is older than its month)."""
    since = datetime.combine(help_request.received_month, time.min, tzinfo=UTC)
    return find_requester_events(opened.audit_ref_key(), target_type=TARGET_TYPE, since=since)
