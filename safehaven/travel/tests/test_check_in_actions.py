"""Scheduling a journey's check-ins, cancelling one, logging one after a call and marking the
case in transit (travel.check_ins.actions)."""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from safehaven.cases.choices import CaseState, CompartmentKind
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CaseTransition
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.travel.bookings.actions import do_cancel_booking
from safehaven.travel.check_ins.actions import (
    do_cancel_check_in,
    do_log_check_in,
    do_mark_in_transit,
)
from safehaven.travel.check_ins.sealing import CheckInDetails, CheckInReport, report_to_json
from safehaven.travel.choices import AlertKind, CheckInVia
from safehaven.travel.models import Booking, ExpectedCheckIn, JourneyAlert
from safehaven.travel.tests.booking_helpers import as_user, book, planning_case
from safehaven.travel.tests.check_in_helpers import (
    ARRIVAL,
    BEFORE,
    TRANSIT,
    check_in_from_status_page,
    fresh,
    journey_case,
    opened_check_in,
    schedule,
    window,
)

pytestmark = pytest.mark.django_db


def details(event_type: EventType) -> list[str]:
    return [e.detail for e in AuditEvent.objects.filter(event_type=event_type).order_by("pk")]


def log(row: ExpectedCheckIn, *, in_danger: bool = False, note: str = "", username="caseworker"):
    return do_log_check_in(row, in_danger=in_danger, note=note, **as_user(username))


def test_it_schedules_a_journey_sealed_in_travel_in_time_order(world, monkeypatch):
    case, booking, _codename = journey_case(world, monkeypatch)
    rows = schedule(
        booking,
        window(ARRIVAL, opens_in=10, place="Berlin BER"),
        window(BEFORE, opens_in=-1, place="Grozny GRV"),
        window(TRANSIT, opens_in=4, zone="Asia/Yerevan", place="Yerevan EVN"),
    )
    assert [row.position for row in rows] == [1, 2, 3]
    assert [opened_check_in(row).details for row in rows] == [
        CheckInDetails(BEFORE, "Grozny GRV", "UTC"),
        CheckInDetails(TRANSIT, "Yerevan EVN", "Asia/Yerevan"),
        CheckInDetails(ARRIVAL, "Berlin BER", "UTC"),
    ]
    travel = case.compartment_record_id(CompartmentKind.TRAVEL)
    assert {row.record_id for row in rows} == {travel}
    assert all(row.is_waiting and row.created_by == world.users["caseworker"] for row in rows)
    ids = ", ".join(f"#{row.pk}" for row in rows)
    assert details(EventType.CHECK_INS_SCHEDULED) == [f"booking #{booking.pk}: 3 check-ins ({ids})"]
    # More are numbered on from the last.
    [more] = schedule(booking, window(TRANSIT, opens_in=2))
    assert more.position == 4


def test_it_keeps_each_window_in_utc_to_the_hour(world, monkeypatch):
    _case, booking, _codename = journey_case(world, monkeypatch)
    # UTC+5:30, and ten past on the wall clock, so never on the hour in UTC, whatever the time.
    asked = window(opens_in=2, hours=2, zone="Asia/Kolkata")
    ten_past = asked.opens.replace(minute=10, second=0, microsecond=0)
    asked = dataclasses.replace(
        asked, opens=ten_past, due_by=ten_past + datetime.timedelta(hours=2)
    )
    [row] = schedule(booking, asked)
    opens = asked.opens.replace(tzinfo=datetime.UTC) - datetime.timedelta(hours=5, minutes=30)
    due = asked.due_by.replace(tzinfo=datetime.UTC) - datetime.timedelta(hours=5, minutes=30)
    assert row.opens_at == opens.replace(minute=0)  # down to the hour
    assert row.due_by == due.replace(minute=0) + datetime.timedelta(hours=1)  # up
    assert row.opens_at.minute == row.due_by.minute == 0


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ({"zone": "Mars/Olympus"}, "Check-in 1: Give a time zone this server knows"),
        ({"zone": "../../etc/passwd"}, "Check-in 1: Give a time zone this server knows"),
        ({"hours": -1}, "Check-in 1: it must be due after its window opens."),
        ({"hours": 25}, "Check-in 1: a window is at most 24 hours long."),
        ({"opens_in": -30}, "Check-in 1: this window is over already."),
        ({"opens_in": 24 * 400}, "Check-in 1: a window must open within a year."),
        ({"point": "departure"}, "Check-in 1: choose where in the journey it is expected."),
    ],
)
def test_it_refuses_a_bad_window_with_a_clear_message(world, monkeypatch, asked, message):
    _case, booking, _codename = journey_case(world, monkeypatch)
    point = asked.pop("point", BEFORE)
    with pytest.raises(CaseActionRefused, match=message.replace(".", r"\.")):
        schedule(booking, window(point, **asked))
    assert not ExpectedCheckIn.objects.exists()


def test_it_names_the_bad_window_and_schedules_none(world, monkeypatch):
    _case, booking, _codename = journey_case(world, monkeypatch)
    with pytest.raises(CaseActionRefused, match="Check-in 2: a window is at most 24 hours"):
        schedule(booking, window(), window(ARRIVAL, hours=30))
    with pytest.raises(CaseActionRefused, match=r"Give at least one check-in window\."):
        schedule(booking)
    assert not ExpectedCheckIn.objects.exists()


def test_it_schedules_only_on_a_confirmed_booking_of_a_journey(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    draft = book(case, saved)
    with pytest.raises(CaseActionRefused, match="only while the case is “Travel booked”"):
        schedule(draft, window())
    Case.objects.filter(pk=case.pk).update(state=CaseState.TRAVEL_BOOKED)
    with pytest.raises(CaseActionRefused, match="only on a confirmed booking"):
        schedule(draft, window())
    # Switched to "confirmed" in the database: its seal no longer opens.
    Booking.objects.filter(pk=draft.pk).update(status="confirmed")
    with pytest.raises(CaseActionRefused, match="does not match its seal"):
        schedule(draft, window())
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    with pytest.raises(CaseActionRefused, match="This case is closed"):
        schedule(draft, window())
    assert not ExpectedCheckIn.objects.exists()


def test_it_refuses_a_schedule_to_whom_travel_does_not_open(world, monkeypatch):
    _case, booking, _codename = journey_case(world, monkeypatch)
    with pytest.raises(CaseActionRefused, match="cannot open this case's travel records"):
        schedule(booking, window(), username="finance")


def test_it_cancels_a_waiting_check_in_with_its_reason_sealed(world, monkeypatch):
    _case, booking, _codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    do_cancel_check_in(row, reason="  The person travels a day later.  ", **as_user())
    row = fresh(row)
    assert row.cancelled_at is not None
    opened = opened_check_in(row)
    assert not opened.forged
    assert opened.details is not None
    assert opened.details.cancel_reason == "The person travels a day later."
    assert details(EventType.CHECK_IN_CANCELLED) == [f"check-in #{row.pk} of booking #{booking.pk}"]
    with pytest.raises(CaseActionRefused, match=r"This check-in was cancelled\."):
        do_cancel_check_in(row, reason="Again.", **as_user())
    with pytest.raises(CaseActionRefused, match=r"This check-in was cancelled\."):
        log(row)


def test_it_refuses_a_cancellation_without_reason_or_of_a_check_in_that_came(world, monkeypatch):
    _case, booking, _codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    with pytest.raises(CaseActionRefused, match="Give the reason"):
        do_cancel_check_in(row, reason="  ", **as_user())
    log(row)
    with pytest.raises(CaseActionRefused, match="has come in already"):
        do_cancel_check_in(fresh(row), reason="Too late.", **as_user())


def test_it_logs_a_call_and_moves_a_booked_case_in_transit(world, monkeypatch):
    case, booking, _codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    log(row, note="Called from the departure hall: all well.")
    row = fresh(row)
    assert row.checked_in_via == CheckInVia.CALL
    assert row.checked_in_by == world.users["caseworker"]
    assert row.checked_in_at is not None
    assert row.checked_in_at.minute == 0
    opened = opened_check_in(row)
    assert opened.report == CheckInReport(False, "Called from the departure hall: all well.")
    assert details(EventType.CHECK_IN_LOGGED) == [f"check-in #{row.pk} of booking #{booking.pk}"]
    case.refresh_from_db()
    assert case.state == CaseState.IN_TRANSIT
    assert CaseTransition.objects.filter(case=case, to_state=CaseState.IN_TRANSIT).count() == 1
    assert not JourneyAlert.objects.exists()


def test_it_raises_an_alert_on_a_danger_signal_and_moves_nothing(world, monkeypatch):
    case, booking, _codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    log(row, in_danger=True, note="Someone was listening.")
    [alert] = JourneyAlert.objects.all()
    assert (alert.case, alert.expected_id, alert.kind) == (case, row.pk, AlertKind.RAISED)
    assert opened_check_in(row).report == CheckInReport(True, "Someone was listening.")
    case.refresh_from_db()
    assert case.state == CaseState.TRAVEL_BOOKED
    assert details(EventType.ALERT_RAISED) == [f"alert #{alert.pk} check-in #{row.pk}"]


def test_it_refuses_a_call_logged_before_the_window_or_twice(world, monkeypatch):
    _case, booking, _codename = journey_case(world, monkeypatch)
    now, early = schedule(booking, window(opens_in=5), window(opens_in=-1))  # by window
    with pytest.raises(CaseActionRefused, match="window has not opened yet"):
        log(early)
    log(now)
    with pytest.raises(CaseActionRefused, match="has come in already"):
        log(fresh(now))
    assert fresh(early).is_waiting


def test_it_refuses_every_action_on_a_forged_check_in(world, monkeypatch):
    _case, booking, _codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    # A database writer moves the window a day on: the details no longer open.
    ExpectedCheckIn.objects.filter(pk=row.pk).update(due_by=row.due_by + datetime.timedelta(days=1))
    assert opened_check_in(row).forged
    for act in (
        lambda: log(fresh(row)),
        lambda: do_cancel_check_in(fresh(row), reason="x", **as_user()),
    ):
        with pytest.raises(CaseActionRefused, match="does not match its seal"):
            act()


def test_it_marks_in_transit_only_after_an_ordinary_check_in(world, monkeypatch):
    case, booking, codename = journey_case(world, monkeypatch)
    schedule(booking, window(), window(TRANSIT, opens_in=-1))
    with pytest.raises(CaseActionRefused, match="No check-in of this journey has come in"):
        do_mark_in_transit(case, **as_user())
    check_in_from_status_page(codename, "green umbrella")  # the danger phrase
    with pytest.raises(CaseActionRefused, match="without a danger signal"):
        do_mark_in_transit(case, **as_user())
    case.refresh_from_db()
    assert case.state == CaseState.TRAVEL_BOOKED  # a check-in never moves the case by itself
    check_in_from_status_page(codename)
    case.refresh_from_db()
    assert case.state == CaseState.TRAVEL_BOOKED
    do_mark_in_transit(case, **as_user())
    assert case.state == CaseState.IN_TRANSIT
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_TRANSIT
    with pytest.raises(CaseActionRefused, match="Only a case whose travel is booked"):
        do_mark_in_transit(case, **as_user())


def test_it_does_not_take_a_forged_check_in_for_one_that_came(world, monkeypatch):
    case, booking, _codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    # A database writer marks it checked in "by call": no report under the travel key.
    ExpectedCheckIn.objects.filter(pk=row.pk).update(
        checked_in_at=timezone.now(), checked_in_via=CheckInVia.CALL
    )
    assert opened_check_in(row).forged
    with pytest.raises(CaseActionRefused, match="No check-in of this journey has come in"):
        do_mark_in_transit(case, **as_user())


def test_cancelling_the_booking_cancels_its_waiting_check_ins(world, monkeypatch):
    case, booking, _codename = journey_case(world, monkeypatch)
    came, waiting, later = schedule(booking, window(), window(opens_in=1), window(opens_in=5))
    log(came)
    do_cancel_booking(booking, reason="The flight was cancelled.", **as_user())
    assert fresh(came).cancelled_at is None
    for row in (waiting, later):
        opened = opened_check_in(row)
        assert opened.row.cancelled_at is not None
        assert not opened.forged
        assert opened.details is not None
        assert opened.details.cancel_reason == "The booking was cancelled."
    [detail] = details(EventType.BOOKING_CANCELLED)
    assert detail == f"booking #{booking.pk}, 2 check-ins cancelled"
    case.refresh_from_db()
    assert case.state == CaseState.IN_TRANSIT  # the call moved it; cancelling does not


def forge_report(row: ExpectedCheckIn, via: str, by=None) -> ExpectedCheckIn:
    """What a database writer can do: set the clear columns and seal a report to the travel
    compartment's inbox key, whose public half is in clear."""
    row = fresh(row)
    row.checked_in_at = row.opens_at
    row.checked_in_via = via
    row.checked_in_by = by
    row.seal_for_inbox("report", report_to_json(CheckInReport(danger=False)))
    row.save()
    return row


def test_a_call_report_sealed_to_the_inbox_key_is_forged(world, monkeypatch):
    _case, booking, _codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    forge_report(row, CheckInVia.CALL, world.users["caseworker"])
    assert opened_check_in(row).forged


def test_a_status_page_report_sealed_by_a_database_writer_is_forged(world, monkeypatch):
    # The inbox key is public, so the report opens; the clear columns the writer set do not
    # carry the server's tag (check_ins/tags.py), so the check-in is forged all the same.
    case, booking, _codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    forge_report(row, CheckInVia.STATUS_PAGE)
    opened = opened_check_in(row)
    assert opened.report == CheckInReport(danger=False)
    assert (opened.tagged, opened.forged, opened.checked_in) == (False, True, False)
    with pytest.raises(CaseActionRefused, match="No check-in of this journey has come in"):
        do_mark_in_transit(case, **as_user())
    case.refresh_from_db()
    assert case.state == CaseState.TRAVEL_BOOKED
