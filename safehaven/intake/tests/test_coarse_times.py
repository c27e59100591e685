"""No time finer than the hour stays next to a request's id or audit refs: a submission, a
check-in, a message, a withdrawal and the erasure leave only hours (SECURITY.md, "Coarse
times"), and after the erasure the requester's events cannot be tied to the request."""

from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.test import Client
from django.utils import timezone

from safehaven.core.audit import REQUESTER_EVENTS, verify_chain
from safehaven.core.coarse_time import hour_of
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.erasure.actions import shred_due_requests
from safehaven.intake.models import HelpRequest, StatusSession
from safehaven.intake.requester_events import requester_events
from safehaven.intake.tests.helpers import (
    MESSAGE_URL,
    WITHDRAW_URL,
    open_status,
    opened_record,
    private_key,
    requester_client,
    submit_request,
)
from safehaven.keys.models import RecordKeyWrap
from safehaven.keys.records import can_open

pytestmark = pytest.mark.django_db

# Kept exact on purpose: it is the session's 15-minute idle limit, and the row goes when the
# session ends, expires or the request is withdrawn (see the report of issue 14, item 6).
EXACT_ON_PURPOSE = {(StatusSession, "expires_at")}


def _rows_naming(model: type[models.Model], help_request: HelpRequest) -> models.QuerySet:
    if model is HelpRequest:
        return HelpRequest.objects.filter(pk=help_request.pk)
    fields = model._meta.concrete_fields
    naming = Q(pk__in=[])
    if any(field.name == "record_id" for field in fields):
        naming |= Q(record_id=help_request.record_id)
    for field in fields:
        if isinstance(field, models.ForeignKey) and field.related_model is HelpRequest:
            naming |= Q(**{field.name: help_request.pk})
    if model is RecordKeyWrap:
        naming |= Q(record_key__record_id=help_request.record_id)
    return model._default_manager.filter(naming)


def exact_times_next_to(help_request: HelpRequest, ref_events: list[int]) -> list[str]:
    """Every stored time finer than the hour in a row that names the request by its id or
    primary key, or in one of the audit events given."""
    found = []
    for model in apps.get_models():
        times = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.DateTimeField)
            and (model, field.name) not in EXACT_ON_PURPOSE
        ]
        if not times or model is AuditEvent:
            continue
        for row in _rows_naming(model, help_request).values(*times):
            found += [f"{model.__name__}.{name}" for name, value in row.items() if _exact(value)]
    events = AuditEvent.objects.filter(
        Q(target_ref=str(help_request.record_id))
        | Q(target_type="helprequest", target_ref=str(help_request.pk))
        | Q(pk__in=ref_events)
    )
    found += [f"audit {event.event_type}" for event in events if _exact(event.created_at)]
    return found


def _exact(value: datetime | None) -> bool:
    return value is not None and value != hour_of(value)


def test_it_keeps_only_hours_next_to_a_request_through_its_life_and_erasure(world):
    codename = submit_request(checkin_phrase="blue teapot")
    submit_request()
    assert open_status(Client(), codename, phrase="blue teapot").status_code == 302
    client = requester_client(codename)
    assert client.post(MESSAGE_URL, {"body": "still here"}).status_code == 302
    assert client.post(WITHDRAW_URL, {"confirm": "on"}).status_code == 200
    help_request, other = HelpRequest.objects.order_by("pk")
    assert help_request.is_withdrawn

    # Staff who can open the request list its requester's events by their refs.
    events = requester_events(help_request, opened_record(help_request))
    assert [event.event_type for event in events] == [
        EventType.REQUEST_RECEIVED,
        EventType.REQUEST_MESSAGE_RECEIVED,  # the check-in
        EventType.REQUEST_MESSAGE_RECEIVED,  # the message
        EventType.REQUEST_WITHDRAWN,
    ]
    others = requester_events(other, opened_record(other))
    assert [event.event_type for event in others] == [EventType.REQUEST_RECEIVED]
    ref_events = [event.pk for event in events]
    assert exact_times_next_to(help_request, ref_events) == []

    assert shred_due_requests(now=timezone.now() + timedelta(days=30)) == 1
    help_request.refresh_from_db()
    assert help_request.is_shredded
    assert exact_times_next_to(help_request, ref_events) == []
    # The erasure itself is named by the record id; the requester's events are not, nor can
    # anyone recompute their refs: the key they came from went with the record.
    named_by_id = AuditEvent.objects.filter(target_ref=str(help_request.record_id))
    assert set(named_by_id.values_list("event_type", flat=True)) == {
        EventType.RECORD_SHREDDED,
        EventType.REQUEST_SHREDDED,
    }
    refs = [event.target_ref for event in AuditEvent.objects.filter(pk__in=ref_events)]
    assert len(set(refs)) == len(refs) == 4
    assert not {str(help_request.record_id), str(help_request.pk)} & set(refs)
    assert not can_open(
        help_request.record_id, user=world.users["triage"], private_key=private_key("triage")
    )
    assert not AuditEvent.objects.filter(
        event_type__in=REQUESTER_EVENTS, target_ref=str(help_request.record_id)
    ).exists()
    assert verify_chain(None, settings.AUDIT_ANCHOR_KEY).ok


def test_it_keeps_only_the_hour_of_queueing_the_erasure(world, settings):
    from django_tasks_db.models import DBTaskResult

    from safehaven.intake.tasks import enqueue_shred

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = requester_client(submit_request())
    assert client.post(WITHDRAW_URL, {"confirm": "on"}).status_code == 200
    help_request = HelpRequest.objects.get()
    enqueue_shred(help_request)  # as the withdrawal does once it has committed
    [row] = DBTaskResult.objects.filter(args_kwargs__kwargs={"help_request_id": help_request.pk})
    assert not _exact(row.enqueued_at)
    assert not _exact(row.run_after)
