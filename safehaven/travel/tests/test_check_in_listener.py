"""The person's check-in from their status page, heard by travel through intake's check-in
listeners (travel.check_ins.listener, intake.status_page.check_in_listeners)."""

import datetime
import logging

import pytest
from django.test import Client
from django.utils import timezone

from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import MessageKind, Notice
from safehaven.intake.models import HelpRequest
from safehaven.intake.status_page import check_in_listeners
from safehaven.intake.tests.helpers import (
    WITHDRAW_URL,
    latest_request,
    open_status,
    requester_client,
    submit_request,
    thread_bodies,
)
from safehaven.travel.alarms.actions import do_acknowledge_alert
from safehaven.travel.check_ins.sealing import CheckInReport
from safehaven.travel.choices import AlertKind, CheckInVia
from safehaven.travel.models import ExpectedCheckIn, JourneyAlert
from safehaven.travel.tests.check_in_helpers import (
    ARRIVAL,
    DANGER,
    PHRASE,
    check_in_from_status_page,
    fresh,
    journey_case,
    opened_check_in,
    retag,
    schedule,
    window,
)

pytestmark = pytest.mark.django_db

CLEAR = ("checked_in_at", "checked_in_via", "checked_in_by_id", "cancelled_at", "opens_at")


def clear_columns(row: ExpectedCheckIn) -> tuple:
    row = fresh(row)
    return tuple(getattr(row, name) for name in CLEAR)


def test_it_takes_an_ordinary_check_in_for_the_open_window(world, monkeypatch):
    case, booking, codename = journey_case(world, monkeypatch)
    open_now, later = schedule(booking, window(), window(ARRIVAL, opens_in=4))
    check_in_from_status_page(codename, "Blue  Teapot")  # as the page compares phrases
    row = fresh(open_now)
    assert row.checked_in_at == timezone.now().replace(minute=0, second=0, microsecond=0)
    assert row.checked_in_via == CheckInVia.STATUS_PAGE
    assert row.checked_in_by is None
    assert opened_check_in(row).report == CheckInReport(danger=False)
    assert fresh(later).is_waiting
    assert not JourneyAlert.objects.exists()
    case.refresh_from_db()
    assert case.state == CaseState.TRAVEL_BOOKED  # never moved by a check-in
    # Intake's own notice is there as before.
    assert thread_bodies(latest_request())[-1] == (MessageKind.NOTICE, Notice.CHECKED_IN)


def test_a_danger_check_in_changes_the_same_columns_and_raises_an_alert(world, monkeypatch):
    case, booking, codename = journey_case(world, monkeypatch)
    first, second = schedule(booking, window(), window(opens_in=-1, hours=5))
    check_in_from_status_page(codename, PHRASE)
    check_in_from_status_page(codename, DANGER)
    assert clear_columns(first) == clear_columns(second)
    assert len(bytes(fresh(first).report)) == len(bytes(fresh(second).report))
    assert opened_check_in(second).report == CheckInReport(danger=True)
    [alert] = JourneyAlert.objects.all()
    assert (alert.case, alert.expected_id, alert.kind) == (case, second.pk, AlertKind.RAISED)
    assert alert.acknowledged_at is None
    event = AuditEvent.objects.get(event_type=EventType.ALERT_RAISED)
    assert event.actor is None
    assert event.detail == f"alert #{alert.pk} check-in #{second.pk}"
    case.refresh_from_db()
    assert case.state == CaseState.TRAVEL_BOOKED


def test_a_late_check_in_is_taken_and_shown_late(world, monkeypatch):
    _case, booking, codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    ExpectedCheckIn.objects.filter(pk=row.pk).update(
        opens_at=row.opens_at - datetime.timedelta(hours=6),
        due_by=row.opens_at - datetime.timedelta(hours=3),
    )
    retag(row)  # as if scheduled with that window (the action refuses one that is over)
    check_in_from_status_page(codename)
    row = fresh(row)
    assert row.checked_in_via == CheckInVia.STATUS_PAGE
    assert row.checked_in_at is not None
    assert row.checked_in_at >= row.due_by


def test_an_ordinary_check_in_before_any_window_changes_nothing_here(world, monkeypatch):
    _case, booking, codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window(opens_in=2))
    check_in_from_status_page(codename)
    assert fresh(row).is_waiting
    assert fresh(row).report is None
    assert not JourneyAlert.objects.exists()
    assert thread_bodies(latest_request())[-1] == (MessageKind.NOTICE, Notice.CHECKED_IN)


def test_a_danger_check_in_with_no_open_window_still_raises_an_alert(world, monkeypatch):
    case, booking, codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window(opens_in=2))
    check_in_from_status_page(codename, DANGER)
    [alert] = JourneyAlert.objects.all()
    assert (alert.case, alert.expected, alert.kind) == (case, None, AlertKind.RAISED)
    assert fresh(row).is_waiting


def test_danger_check_ins_with_no_open_window_raise_one_waiting_alert(world, monkeypatch):
    case, booking, codename = journey_case(world, monkeypatch)
    schedule(booking, window(opens_in=2))
    for _time in range(3):
        check_in_from_status_page(codename, DANGER)
    [alert] = JourneyAlert.objects.all()
    assert AuditEvent.objects.filter(event_type=EventType.ALERT_RAISED).count() == 1
    # Once someone took it on, the next danger check-in is a new signal.
    do_acknowledge_alert(alert, actor=world.users["caseworker"])
    check_in_from_status_page(codename, DANGER)
    check_in_from_status_page(codename, DANGER)
    assert JourneyAlert.objects.filter(case=case, expected=None).count() == 2
    assert JourneyAlert.objects.filter(acknowledged_at=None).count() == 1


def test_a_row_without_its_tag_never_takes_the_persons_check_in(world, monkeypatch):
    _case, booking, codename = journey_case(world, monkeypatch)
    planted, genuine = schedule(booking, window(opens_in=-2), window(opens_in=-1))
    ExpectedCheckIn.objects.filter(pk=planted.pk).update(tag=b"")
    check_in_from_status_page(codename)
    assert fresh(planted).is_waiting
    assert fresh(genuine).checked_in_at is not None
    assert not opened_check_in(genuine).forged
    assert opened_check_in(planted).forged


def test_it_skips_a_closed_case(world, monkeypatch):
    case, booking, codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    check_in_from_status_page(codename, DANGER)
    assert fresh(row).is_waiting
    assert not JourneyAlert.objects.exists()
    # Intake still hears it.
    assert thread_bodies(latest_request())[-1] == (MessageKind.NOTICE, Notice.DANGER)


def test_it_does_nothing_for_a_request_with_no_case(world):
    codename = submit_request(checkin_phrase=PHRASE, duress_phrase=DANGER)
    check_in_from_status_page(codename, DANGER)
    assert not JourneyAlert.objects.exists()
    assert thread_bodies(latest_request())[-1] == (MessageKind.NOTICE, Notice.DANGER)


def test_it_hears_the_check_in_of_a_withdrawn_request(world, monkeypatch):
    # A withdrawal may have been forced: a check-in still reaches staff, and the journey.
    case, booking, codename = journey_case(world, monkeypatch)
    first, second = schedule(booking, window(), window(opens_in=-1, hours=5))
    client = requester_client(codename)
    assert client.post(WITHDRAW_URL, {"confirm": "on"}).status_code == 200
    assert HelpRequest.objects.get(pk=latest_request().pk).withdrawn_at is not None
    assert open_status(Client(), codename, phrase=PHRASE).status_code == 200
    assert open_status(Client(), codename, phrase=DANGER).status_code == 200
    assert fresh(first).checked_in_via == CheckInVia.STATUS_PAGE
    assert opened_check_in(second).report == CheckInReport(danger=True)
    [alert] = JourneyAlert.objects.all()
    assert (alert.case, alert.expected_id) == (case, second.pk)


def test_no_phrase_or_a_wrong_one_is_no_check_in(world, monkeypatch):
    _case, booking, codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    check_in_from_status_page(codename, "")
    check_in_from_status_page(codename, "red kettle")
    assert fresh(row).is_waiting


def test_it_ignores_cancelled_check_ins_and_those_of_other_cases(world, monkeypatch):
    _case, booking, codename = journey_case(world, monkeypatch)
    _other_case, other_booking, _other = journey_case(world, monkeypatch)
    cancelled, waiting = schedule(booking, window(), window(opens_in=-1, hours=5))
    ExpectedCheckIn.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    [other] = schedule(other_booking, window())
    check_in_from_status_page(codename)
    assert fresh(cancelled).checked_in_at is None
    assert fresh(waiting).checked_in_via == CheckInVia.STATUS_PAGE
    assert fresh(other).is_waiting


def test_a_failing_listener_never_loses_the_persons_check_in(world, monkeypatch, caplog):
    _case, booking, codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())

    def broken(help_request, danger):
        ExpectedCheckIn.objects.filter(pk=row.pk).update(cancelled_at=timezone.now())
        raise RuntimeError("Sentinel secret in a failure message")

    monkeypatch.setattr(check_in_listeners, "_LISTENERS", [broken, *check_in_listeners._LISTENERS])
    with caplog.at_level(logging.ERROR):
        response = check_in_from_status_page(codename, DANGER)
    assert response.status_code == 302
    assert "RuntimeError" in caplog.text
    assert "Sentinel secret" not in caplog.text
    # The broken listener's work was rolled back; the next one ran; intake's notice stands.
    assert fresh(row).cancelled_at is None
    assert fresh(row).checked_in_via == CheckInVia.STATUS_PAGE
    assert JourneyAlert.objects.count() == 1
    assert thread_bodies(latest_request())[-1] == (MessageKind.NOTICE, Notice.DANGER)


def test_it_refuses_to_register_a_listener_twice():
    listener = check_in_listeners._LISTENERS[0]
    with pytest.raises(ValueError, match="already registered"):
        check_in_listeners.register_check_in_listener(listener)
