"""Confirming a safe arrival and logging the follow-ups after it, as actions."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from django.utils import timezone

from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.compartments import open_casework
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CaseTransition
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import private_key
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.travel.choices import FollowUpOutcome
from safehaven.travel.follow_ups.actions import do_confirm_arrival, months_after
from safehaven.travel.models import FollowUp
from safehaven.travel.tests.follow_up_helpers import (
    ARRIVAL,
    arrived_case,
    in_transit_case,
    log,
    worker,
)
from safehaven.travel.tests.helpers import assigned_case

pytestmark = pytest.mark.django_db


def events(case, event_type):
    return AuditEvent.objects.filter(event_type=event_type, target_ref=str(case.pk))


def notes_of(world, row):
    opened = open_casework(
        row.case, actor=world.users["caseworker"], private_key=private_key("caseworker")
    )
    return json.loads(row.open_with(opened).sealed("notes"))


def test_it_counts_months_to_the_same_day_or_the_months_last():
    assert months_after(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert months_after(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)
    assert months_after(datetime.date(2026, 12, 7), 12) == datetime.date(2027, 12, 7)


def test_it_moves_an_arrived_case_and_schedules_four_follow_ups(world):
    case, _rows = arrived_case(world)
    today = timezone.localdate()
    case.refresh_from_db()
    assert case.state == CaseState.ARRIVED
    follow_ups = list(FollowUp.objects.filter(case=case).order_by("due_on"))
    assert [row.months for row in follow_ups] == [1, 3, 6, 12]
    assert [row.due_on for row in follow_ups] == [months_after(today, m) for m in (1, 3, 6, 12)]
    assert {row.owner for row in follow_ups} == {world.users["caseworker"]}
    assert {row.outcome for row in follow_ups} == {FollowUpOutcome.PENDING}
    assert notes_of(world, follow_ups[0]) == {
        "housing": "",
        "legal_status": "",
        "health": "",
        "emotional_support": "",
    }
    transition = CaseTransition.objects.get(case=case, to_state=CaseState.ARRIVED)
    assert transition.from_state == CaseState.IN_TRANSIT
    assert events(case, EventType.CASE_MOVED).filter(detail="in_transit -> arrived").count() == 1
    assert events(case, EventType.FOLLOW_UPS_SCHEDULED).get().detail == "4 follow-ups"


@pytest.mark.parametrize("state", [CaseState.PLANNING, CaseState.TRAVEL_BOOKED, CaseState.ARRIVED])
def test_it_refuses_arrival_unless_in_transit(world, state):
    case = in_transit_case(world)
    Case.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    with pytest.raises(CaseActionRefused):
        do_confirm_arrival(case, reason=ARRIVAL, **worker(world))
    assert not FollowUp.objects.filter(case=case).exists()


def test_it_schedules_nothing_when_the_move_is_refused(world):
    case = assigned_case(world)  # never verified: the workflow refuses the move
    Case.objects.filter(pk=case.pk).update(state=CaseState.IN_TRANSIT)
    case.refresh_from_db()
    with pytest.raises(CaseActionRefused):
        do_confirm_arrival(case, reason=ARRIVAL, **worker(world))
    assert not FollowUp.objects.filter(case=case).exists()
    assert not events(case, EventType.FOLLOW_UPS_SCHEDULED).exists()
    case.refresh_from_db()
    assert case.state == CaseState.IN_TRANSIT


def test_it_refuses_arrival_without_a_reason(world):
    case = in_transit_case(world)
    with pytest.raises(CaseActionRefused):
        do_confirm_arrival(case, reason="  ", **worker(world))
    assert not FollowUp.objects.filter(case=case).exists()


def test_it_moves_to_post_arrival_on_the_first_log_and_keeps_notes(world):
    case, rows = arrived_case(world)
    first = log(world, rows[0], "unreachable", housing="Sentinel Harrowgate flat")
    case.refresh_from_db()
    assert case.state == CaseState.POST_ARRIVAL
    assert first.outcome == FollowUpOutcome.UNREACHABLE
    assert first.logged_on == timezone.localdate()
    again = log(world, FollowUp.objects.get(pk=first.pk), "done", health="Sentinel clinic")
    notes = notes_of(world, FollowUp.objects.get(pk=again.pk))
    assert notes["housing"] == "Sentinel Harrowgate flat"  # an empty topic keeps its note
    assert notes["health"] == "Sentinel clinic"
    assert events(case, EventType.FOLLOW_UP_LOGGED).count() == 2
    assert events(case, EventType.CASE_MOVED).filter(detail="arrived -> post_arrival").count() == 1


def test_it_closes_the_case_as_relocated_when_all_are_done_or_ended(world):
    case, rows = arrived_case(world)
    log(world, rows[0], "done")
    log(world, rows[1], "unreachable")
    log(world, rows[2], "done")
    log(world, rows[3], "ended")
    case.refresh_from_db()
    assert case.state == CaseState.POST_ARRIVAL  # one could not be reached yet
    log(world, FollowUp.objects.get(pk=rows[1].pk), "done")
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert case.outcome == CaseOutcome.RELOCATED
    assert events(case, EventType.CASE_MOVED).filter(detail="post_arrival -> closed").count() == 1


def test_it_refuses_logging_a_done_follow_up_or_a_closed_case(world):
    case, rows = arrived_case(world)
    done = log(world, rows[0], "done")
    with pytest.raises(CaseActionRefused, match="already done or ended"):
        log(world, done, "done")
    for row in rows[1:]:
        log(world, row, "ended")
    case.refresh_from_db()
    assert case.is_closed
    with pytest.raises(CaseActionRefused):
        log(world, FollowUp.objects.get(pk=rows[1].pk), "done")


def test_it_refuses_an_unknown_outcome_or_topic(world):
    _case, rows = arrived_case(world)
    with pytest.raises(CaseActionRefused):
        log(world, rows[0], "")
    with pytest.raises(CaseActionRefused):
        log(world, rows[0], "done", religion="x")
    assert FollowUp.objects.get(pk=rows[0].pk).outcome == FollowUpOutcome.PENDING


def test_it_refuses_a_follow_up_whose_seal_is_missing_or_does_not_open(world):
    case, rows = arrived_case(world)
    inserted = FollowUp.objects.create(
        case=case, record_id=rows[0].record_id, months=24, due_on=timezone.localdate(), notes=None
    )
    with pytest.raises(CaseActionRefused, match="does not match its seal"):
        log(world, inserted, "done")
    # A database writer moves the due day (bound into the seal): the row no longer opens.
    FollowUp.objects.filter(pk=rows[0].pk).update(due_on=timezone.localdate())
    with pytest.raises(CaseActionRefused, match="does not match its seal"):
        log(world, FollowUp.objects.get(pk=rows[0].pk), "done")
    assert not events(case, EventType.FOLLOW_UP_LOGGED).exists()


def test_it_never_closes_a_case_on_a_forged_done_row(world):
    case, rows = arrived_case(world)
    # A database writer marks three follow-ups done: their seals no longer open.
    FollowUp.objects.filter(pk__in=[r.pk for r in rows[1:]]).update(outcome="done")
    log(world, rows[0], "done")
    case.refresh_from_db()
    assert case.state == CaseState.POST_ARRIVAL
    assert not case.is_closed


def test_it_never_writes_a_note_in_clear_to_the_row_or_the_audit(world):
    _case, rows = arrived_case(world)
    secret = f"Sentinel Quorrel {uuid.uuid4()}"
    log(world, rows[0], "done", legal_status=secret, emotional_support=secret)
    raw = FollowUp.objects.filter(pk=rows[0].pk).values_list("notes", flat=True).get()
    assert secret.encode() not in bytes(raw)
    assert not AuditEvent.objects.filter(detail__contains="Sentinel").exists()


def genuine(world, row):
    try:
        notes_of(world, row)
    except (SealError, SealedValueUnavailable, ValueError):
        return False
    return True


def test_it_never_closes_the_case_when_follow_ups_were_deleted(world):
    case, _rows = arrived_case(world)
    FollowUp.objects.filter(case=case).exclude(months=1).delete()  # a database writer
    log(world, FollowUp.objects.get(case=case, months=1), "done")
    case.refresh_from_db()
    assert case.state == CaseState.POST_ARRIVAL
    assert case.outcome != CaseOutcome.RELOCATED


def test_it_takes_the_owner_from_a_genuine_assignment_only(world):
    from safehaven.cases.choices import AssignmentRole
    from safehaven.cases.models import CaseAssignment

    case = in_transit_case(world)
    # A database writer gives the caseworker's assignment to someone else: its marker no
    # longer opens.
    CaseAssignment.objects.filter(case=case, role=AssignmentRole.CASEWORKER).update(
        user=world.users["supervisor"]
    )
    rows = do_confirm_arrival(case, reason=ARRIVAL, **worker(world))
    assert {row.owner for row in rows} == {None}


def test_it_binds_the_owner_into_the_seal(world):
    _case, rows = arrived_case(world)
    FollowUp.objects.filter(pk=rows[0].pk).update(owner=world.users["supervisor"])
    assert genuine(world, FollowUp.objects.get(pk=rows[1].pk))
    assert not genuine(world, FollowUp.objects.get(pk=rows[0].pk))


def forged_row(world, case, months=1):
    """A row a database writer inserted: no seal, so it does not open."""
    opened = open_casework(
        case, actor=world.users["caseworker"], private_key=private_key("caseworker")
    )
    return FollowUp.objects.create(
        record_id=opened.record_id,
        case=case,
        months=months,
        due_on=timezone.localdate(),
        notes=None,
    )


def test_it_confirms_arrival_over_a_forged_follow_up(world):
    case = in_transit_case(world)
    forged_row(world, case, months=1)
    forged_row(world, case, months=2)
    rows = do_confirm_arrival(case, reason=ARRIVAL, **worker(world))
    case.refresh_from_db()
    assert case.state == CaseState.ARRIVED
    assert [row.months for row in rows] == [1, 3, 6, 12]
    assert all(genuine(world, FollowUp.objects.get(pk=row.pk)) for row in rows)
    detail = events(case, EventType.FOLLOW_UPS_SCHEDULED).get().detail
    assert detail == "4 follow-ups, 1 forged rows sealed again"


def moved_to_arrived(world):
    """A case moved IN_TRANSIT -> ARRIVED by the ordinary move form: no follow-ups."""
    from safehaven.cases.workflow.actions import do_move_case

    case = in_transit_case(world)
    do_move_case(case, to_state=CaseState.ARRIVED, reason=ARRIVAL, **worker(world))
    case.refresh_from_db()
    return case


def test_it_schedules_the_follow_ups_of_a_case_moved_to_arrived(world):
    from safehaven.travel.follow_ups.actions import do_schedule_follow_ups

    case = moved_to_arrived(world)
    forged_row(world, case, months=3)
    arrived_on = timezone.localdate(case.state_changed_at)
    rows = do_schedule_follow_ups(case, **worker(world))
    assert [row.months for row in rows] == [1, 3, 6, 12]
    assert [row.due_on for row in rows] == [months_after(arrived_on, m) for m in (1, 3, 6, 12)]
    assert {row.owner for row in rows} == {world.users["caseworker"]}
    assert events(case, EventType.FOLLOW_UPS_SCHEDULED).count() == 1
    with pytest.raises(CaseActionRefused):
        do_schedule_follow_ups(case, **worker(world))
    assert FollowUp.objects.filter(case=case).count() == 4


@pytest.mark.parametrize("state", [CaseState.IN_TRANSIT, CaseState.POST_ARRIVAL])
def test_it_schedules_follow_ups_only_for_an_arrived_case(world, state):
    from safehaven.travel.follow_ups.actions import do_schedule_follow_ups

    case = in_transit_case(world)
    Case.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    with pytest.raises(CaseActionRefused):
        do_schedule_follow_ups(case, **worker(world))
    assert not FollowUp.objects.filter(case=case).exists()
