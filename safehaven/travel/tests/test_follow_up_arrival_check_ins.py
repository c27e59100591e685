"""Confirming a safe arrival cancels the journey's check-ins still waiting, in the same
transaction, each sealed again with its cancellation bound in, so none raises a false "missed"
alert later (travel.follow_ups.actions.do_confirm_arrival)."""

import datetime

import pytest

from safehaven.cases.choices import CaseState, CompartmentKind
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.models import RecordKeyWrap
from safehaven.travel.check_ins.actions import do_log_check_in
from safehaven.travel.follow_ups.actions import do_confirm_arrival
from safehaven.travel.models import ExpectedCheckIn, FollowUp, JourneyAlert
from safehaven.travel.tests.alarm_helpers import watch
from safehaven.travel.tests.booking_helpers import as_user
from safehaven.travel.tests.check_in_helpers import (
    ARRIVAL,
    TRANSIT,
    fresh,
    journey_case,
    opened_check_in,
    schedule,
    window,
)

pytestmark = pytest.mark.django_db
ARRIVED = "Sentinel Wexmoor: met at the airport"


def _under_way(world, monkeypatch):
    """A journey in transit: the check-in before departure logged after a call, one at the
    transit open now and the arrival's not open yet, both still waiting."""
    case, booking, _codename = journey_case(world, monkeypatch)
    before, transit, arrival = schedule(
        booking, window(), window(TRANSIT, hours=2), window(ARRIVAL, opens_in=5, hours=6)
    )
    do_log_check_in(before, in_danger=False, note="On the way.", **as_user())
    case.refresh_from_db()
    assert case.state == CaseState.IN_TRANSIT
    return case, before, transit, arrival


def test_it_cancels_the_check_ins_still_waiting_and_seals_them_again(world, monkeypatch):
    case, before, transit, arrival = _under_way(world, monkeypatch)
    do_confirm_arrival(case, reason=ARRIVED, **as_user())
    assert Case.objects.get(pk=case.pk).state == CaseState.ARRIVED
    for row in (transit, arrival):
        assert fresh(row).cancelled_at is not None
        opened = opened_check_in(row)
        assert not opened.forged  # cancelled_at is bound into the seal: sealed again
        assert opened.details is not None
        assert opened.details.cancel_reason == "The person's safe arrival was confirmed."
    kept = fresh(before)
    assert (kept.cancelled_at, opened_check_in(before).forged) == (None, False)
    scheduled = AuditEvent.objects.get(event_type=EventType.FOLLOW_UPS_SCHEDULED)
    assert scheduled.detail == "4 follow-ups, 2 check-ins cancelled"


def test_no_false_missed_alert_follows_a_confirmed_arrival(world, monkeypatch):
    case, _before, _transit, arrival = _under_way(world, monkeypatch)
    do_confirm_arrival(case, reason=ARRIVED, **as_user())
    later = fresh(arrival).due_by + datetime.timedelta(hours=1)
    assert watch(now=later).raised == 0
    assert not JourneyAlert.objects.exists()


def test_a_journey_without_waiting_check_ins_says_nothing_of_them(world, monkeypatch):
    case, booking, _codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    do_log_check_in(row, in_danger=False, note="", **as_user())
    case.refresh_from_db()
    do_confirm_arrival(case, reason=ARRIVED, **as_user())
    scheduled = AuditEvent.objects.get(event_type=EventType.FOLLOW_UPS_SCHEDULED)
    assert scheduled.detail == "4 follow-ups"


def test_a_forged_waiting_check_in_is_cancelled_but_never_sealed_as_genuine(world, monkeypatch):
    case, _before, transit, _arrival = _under_way(world, monkeypatch)
    # A database writer moved the window: the row no longer opens.
    ExpectedCheckIn.objects.filter(pk=transit.pk).update(
        due_by=transit.due_by + datetime.timedelta(hours=5)
    )
    assert opened_check_in(transit).forged
    do_confirm_arrival(case, reason=ARRIVED, **as_user())
    assert fresh(transit).cancelled_at is not None
    assert opened_check_in(transit).forged


def test_it_refuses_and_changes_nothing_when_the_key_cannot_open_the_travel_records(
    world, monkeypatch
):
    case, _before, transit, _arrival = _under_way(world, monkeypatch)
    travel = case.compartment_record_id(CompartmentKind.TRAVEL)
    RecordKeyWrap.objects.filter(
        record_key__record_id=travel, user=world.users["caseworker"]
    ).delete()
    with pytest.raises(CaseActionRefused, match="check-ins still waiting cannot be cancelled"):
        do_confirm_arrival(case, reason=ARRIVED, **as_user())
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_TRANSIT
    assert fresh(transit).cancelled_at is None
    assert not FollowUp.objects.filter(case=case).exists()


def test_a_move_refused_after_the_cancellation_rolls_it_back(world, monkeypatch):
    case, _before, transit, _arrival = _under_way(world, monkeypatch)

    def refuse(*args, **kwargs):
        raise CaseActionRefused("refused by the workflow")

    monkeypatch.setattr("safehaven.travel.follow_ups.actions.do_move_case", refuse)
    with pytest.raises(CaseActionRefused, match="refused by the workflow"):
        do_confirm_arrival(case, reason=ARRIVED, **as_user())
    assert fresh(transit).cancelled_at is None
    assert not opened_check_in(transit).forged
