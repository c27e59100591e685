"""The timer watches only journeys under way, and those that lost contact: a check-in left
waiting on a case that is no longer travel booked, in transit or lost contact (moved to
"arrived" by the ordinary move form, back to planning, closed) raises no "missed" alert
(travel.alarms.queries)."""

import datetime

import pytest

from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case
from safehaven.travel.tests.alarm_helpers import (
    HOUR,
    alerts_of,
    expected_check_in,
    in_transit_case,
    watch,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "state",
    [
        CaseState.ARRIVED,
        CaseState.POST_ARRIVAL,
        CaseState.PLANNING,
        CaseState.CLOSED,
    ],
)
def test_it_raises_no_alert_once_the_journey_is_no_longer_under_way(world, state):
    case = in_transit_case(world)
    missed = expected_check_in(case)
    Case.objects.filter(pk=case.pk).update(state=state)
    assert watch().raised == 0
    assert alerts_of(case) == []
    # The same check-in of the same case raises its alert while the journey is under way.
    Case.objects.filter(pk=case.pk).update(state=CaseState.IN_TRANSIT)
    assert watch().raised == 1
    assert [alert.expected_id for alert in alerts_of(case)] == [missed.pk]


def test_it_watches_a_journey_booked_and_one_in_transit(world):
    booked, moving = in_transit_case(world), in_transit_case(world)
    Case.objects.filter(pk=booked.pk).update(state=CaseState.TRAVEL_BOOKED)
    expected_check_in(booked)
    expected_check_in(moving)
    assert watch().raised == 2


def test_it_keeps_alarming_on_the_missed_windows_of_a_journey_that_lost_contact(world):
    case = in_transit_case(world)
    missed = expected_check_in(case)
    later = expected_check_in(case, due_by=missed.due_by + 3 * HOUR)
    Case.objects.filter(pk=case.pk).update(state=CaseState.LOST_CONTACT)
    assert watch().raised == 1
    assert watch(now=later.due_by + datetime.timedelta(minutes=1)).raised == 1
    assert [alert.expected_id for alert in alerts_of(case)] == [missed.pk, later.pk]
