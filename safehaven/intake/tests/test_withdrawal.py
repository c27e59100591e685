"""Withdrawing consent: the request is erased after a grace period; the figures remain."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.tasks.backends.dummy import DummyBackend
from django.test import Client
from django.utils import timezone

from safehaven.cases.triage.request_counts import request_counts
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.erasure.actions import shred_due_requests
from safehaven.intake.handling.actions import RequestActionRefused, do_reply_to_request
from safehaven.intake.models import ContactHint, HelpRequest, RequestMessage, StatusSession
from safehaven.intake.tasks import enqueue_shred, shred_withdrawn_request
from safehaven.intake.tests.helpers import (
    SHOW_STATUS_URL,
    WITHDRAW_URL,
    latest_request,
    open_status,
    private_key,
    requester_client,
    submit_request,
)
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.models import RecordKey, RecordKeyWrap, ShreddedRecord
from safehaven.keys.records import can_open, open_record_with_codename

pytestmark = pytest.mark.django_db


def withdraw(client: Client):
    return client.post(WITHDRAW_URL, {"confirm": "on"})


def test_it_asks_for_confirmation(world):
    client = requester_client(submit_request())
    page = client.get(WITHDRAW_URL)
    assert page.status_code == 200
    assert "<title>Settings</title>" in page.content.decode()
    unconfirmed = client.post(WITHDRAW_URL, {})
    assert unconfirmed.status_code == 200
    assert "Please tick this box if you want to withdraw." in unconfirmed.content.decode()
    assert latest_request().withdrawn_at is None


def test_it_withdraws_ends_every_session_and_schedules_the_erasure(world, settings):
    settings.INTAKE_WITHDRAWAL_GRACE = timedelta(hours=48)
    codename = submit_request()
    client, elsewhere = requester_client(codename), requester_client(codename)
    response = withdraw(client)
    assert response.status_code == 200
    assert "Your request was withdrawn" in response.content.decode()
    assert response.cookies["sh_status"]["max-age"] == 0
    help_request = latest_request()
    assert help_request.status == "withdrawn"
    assert help_request.shred_due_at is not None
    assert help_request.withdrawn_at is not None
    # The withdrawal keeps only its hour; the 48 hours count from that hour's end.
    assert help_request.shred_due_at - help_request.withdrawn_at == timedelta(hours=49)
    assert help_request.shred_due_at - timezone.now() >= timedelta(hours=48)
    assert not StatusSession.objects.exists()
    assert elsewhere.get(SHOW_STATUS_URL).status_code == 302
    assert AuditEvent.objects.filter(event_type=EventType.REQUEST_WITHDRAWN).count() == 1
    # During the grace period the codename says what will happen, and opens nothing more.
    again = open_status(Client(), codename)
    assert again.status_code == 200
    assert "will be deleted for good by" in again.content.decode()
    assert not again.cookies
    with pytest.raises(RequestActionRefused):
        do_reply_to_request(
            help_request, actor=world.users["triage"], private_key=private_key("triage"), text="x"
        )


def test_it_erases_after_the_grace_period_and_keeps_the_figures(world):
    codename = submit_request(country="IR", citizenships=["IR"], contact_email="a@example.org")
    submit_request(country="IR", citizenships=["IR"])
    client = requester_client(codename)
    client.post("/en/status/request/message/", {"body": "please delete me"})
    withdrawn = HelpRequest.objects.order_by("pk").first()
    assert withdrawn is not None
    withdraw(client)
    before = request_counts()

    assert shred_due_requests() == 0  # still within the grace period
    out = StringIO()
    later = timezone.now() + timedelta(hours=49)
    assert shred_due_requests(now=later) == 1
    call_command("shred_withdrawn", stdout=out)  # nothing left to do, and says so
    assert "Erased 0 withdrawn requests" in out.getvalue()

    withdrawn.refresh_from_db()
    assert withdrawn.shredded_at is not None
    assert withdrawn.codename_hash is None
    # Figures keep the month and the band; the exact score and day of consent go.
    assert withdrawn.risk_score == 0
    assert withdrawn.consented_on == withdrawn.received_month
    assert withdrawn.risk_band
    assert all(getattr(withdrawn, name) is None for name in HelpRequest.sealed_field_names())
    assert not RecordKey.objects.filter(record_id=withdrawn.record_id).exists()
    assert not RecordKeyWrap.objects.filter(record_key__record_id=withdrawn.record_id).exists()
    assert ShreddedRecord.objects.filter(record_id=withdrawn.record_id).exists()
    assert not RequestMessage.objects.filter(help_request=withdrawn).exists()
    assert not ContactHint.objects.filter(help_request=withdrawn).exists()
    with pytest.raises(RecordUnavailable):
        open_record_with_codename(withdrawn.record_id, codename)
    assert not can_open(
        withdrawn.record_id, user=world.users["triage"], private_key=private_key("triage")
    )
    assert open_status(Client(), codename).status_code == 200  # "do not open a request"
    assert AuditEvent.objects.filter(event_type=EventType.REQUEST_SHREDDED).count() == 1

    assert request_counts() == before
    month = withdrawn.received_month
    assert {"received_month": month, "country": "IR", "status": "withdrawn", "count": 1} in before
    assert {"received_month": month, "country": "IR", "status": "received", "count": 1} in before


def test_it_erases_from_the_command_and_the_task(world, settings):
    settings.INTAKE_WITHDRAWAL_GRACE = timedelta(hours=1)
    for _person in range(2):
        withdraw(requester_client(submit_request()))
    first, second = HelpRequest.objects.order_by("pk")
    HelpRequest.objects.update(shred_due_at=timezone.now() - timedelta(seconds=1))
    assert shred_withdrawn_request.call(help_request_id=first.pk) is True
    assert shred_withdrawn_request.call(help_request_id=first.pk) is False  # already erased
    out = StringIO()
    call_command("shred_withdrawn", stdout=out)
    assert "Erased 1 withdrawn requests" in out.getvalue()
    second.refresh_from_db()
    assert second.shredded_at is not None


def test_it_enqueues_the_erasure_with_an_id_only_when_the_backend_can_wait(world, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    withdraw(requester_client(submit_request()))
    help_request = latest_request()
    backend = shred_withdrawn_request.get_backend()
    assert isinstance(backend, DummyBackend)
    backend.clear()
    enqueue_shred(help_request)
    [result] = backend.results
    assert result.args == []
    assert result.kwargs == {"help_request_id": help_request.pk}
    assert result.task.run_after == help_request.shred_due_at


def test_it_enqueues_nothing_and_raises_nothing_on_a_backend_that_cannot_defer(world):
    """The test backend runs tasks at once and cannot defer: withdrawing must still work
    (the timer's shred_withdrawn erases the request)."""
    from django.utils import timezone

    from safehaven.intake.models import HelpRequest
    from safehaven.intake.tasks import enqueue_shred, shred_withdrawn_request

    assert not shred_withdrawn_request.get_backend().supports_defer
    help_request = HelpRequest(shred_due_at=timezone.now())
    help_request.pk = 999999
    enqueue_shred(help_request)


@pytest.mark.django_db(transaction=True)
def test_it_says_withdrawn_when_only_queueing_the_erasure_failed(world, settings, monkeypatch):
    # The task is queued after the withdrawal committed: a failure there must not make the
    # person believe the withdrawal failed. The timer's shred_withdrawn erases it all the same.
    from django.db import OperationalError
    from django.tasks.base import Task

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}

    def failing_enqueue(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(Task, "enqueue", failing_enqueue)
    response = withdraw(requester_client(submit_request()))
    assert response.status_code == 200
    assert "Your request was withdrawn" in response.content.decode()
    assert latest_request().withdrawn_at is not None
