"""Keeping the on-call rota (travel.on_call.actions): only its organisation's supervisors and
administrators, only eligible staff on call, sensible times; audited with ids only."""

import datetime

import pytest
from django.utils import timezone

from safehaven.accounts.models import Membership, Role, SuspensionReason
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.actions.duress import do_suspend_keys_for_duress
from safehaven.travel.models import OnCallShift
from safehaven.travel.on_call.actions import do_add_on_call_shift, do_remove_on_call_shift
from safehaven.travel.on_call.queries import on_call_now
from safehaven.travel.tests.alarm_helpers import HOUR, on_call

pytestmark = pytest.mark.django_db


def add(world, username="caseworker", *, actor="supervisor", **more):
    now = timezone.now()
    values = {
        "user": world.users[username],
        "starts_at": now,
        "ends_at": now + 8 * HOUR,
        "position": 1,
        "actor": world.users[actor],
    } | more
    return do_add_on_call_shift(world.organisation, **values)


@pytest.mark.parametrize("actor", ["supervisor", "admin"])
def test_it_adds_a_shift_and_audits_it(world, actor):
    shift = add(world, "triage", actor=actor, position=2)
    assert (shift.user, shift.position, shift.added_by) == (
        world.users["triage"],
        2,
        world.users[actor],
    )
    event = AuditEvent.objects.get(event_type=EventType.ON_CALL_SHIFT_ADDED)
    assert event.detail == f"shift #{shift.pk} user #{world.users['triage'].pk} position 2"
    assert event.actor_id == world.users[actor].pk


@pytest.mark.parametrize("actor", ["caseworker", "triage", "finance", "interpreter", "partner_a"])
def test_it_refuses_anyone_but_a_supervisor_or_administrator(world, actor):
    with pytest.raises(CaseActionRefused) as refusal:
        add(world, actor=actor)
    assert "Only a supervisor or an administrator" in str(refusal.value)
    assert not OnCallShift.objects.exists()


def test_it_refuses_a_supervisor_of_another_organisation(world):
    Membership.objects.create(
        user=world.users["caseworker"], organisation=world.partner_a, role=Role.SUPERVISOR
    )
    with pytest.raises(CaseActionRefused):
        add(world, actor="caseworker")


@pytest.mark.parametrize("username", ["finance", "advocacy", "interpreter", "partner_a"])
def test_it_refuses_to_put_a_role_that_never_sees_case_numbers_on_call(world, username):
    # An alert names its case's number: advocacy never sees one (docs/advocacy.md), nor
    # finance, an interpreter or a partner.
    with pytest.raises(CaseActionRefused) as refusal:
        add(world, username)
    assert str(refusal.value) == (
        "Only an active triage officer, caseworker, supervisor or administrator of this "
        "organisation can be on call."
    )
    assert not OnCallShift.objects.exists()


def test_it_refuses_to_put_a_suspended_member_on_call(world):
    world.users["caseworker"].suspend(SuspensionReason.LEFT)
    world.users["caseworker"].save()
    with pytest.raises(CaseActionRefused):
        add(world)


def test_it_refuses_to_put_a_member_under_duress_on_call(world):
    do_suspend_keys_for_duress(world.users["caseworker"], actor=world.users["caseworker"])
    with pytest.raises(CaseActionRefused):
        add(world)


@pytest.mark.parametrize(
    ("starts", "ends", "position", "message"),
    [
        (0, 0, 1, "A shift must end after it starts."),
        (2, 1, 1, "A shift must end after it starts."),
        (-5, -1, 1, "This shift is over already."),
        (0, 32 * 24, 1, "A shift can last 31 days at most."),
        (0, 8, 0, "The position must be between 1 and 20."),
        (0, 8, 21, "The position must be between 1 and 20."),
    ],
)
def test_it_refuses_bad_times_and_positions(world, starts, ends, position, message):
    now = timezone.now()
    with pytest.raises(CaseActionRefused) as refusal:
        add(
            world,
            starts_at=now + datetime.timedelta(hours=starts),
            ends_at=now + datetime.timedelta(hours=ends),
            position=position,
        )
    assert str(refusal.value) == message


def test_it_removes_a_shift_and_audits_it(world):
    shift = on_call(world, "caseworker", 1)
    do_remove_on_call_shift(shift, actor=world.users["admin"])
    assert not OnCallShift.objects.exists()
    event = AuditEvent.objects.get(event_type=EventType.ON_CALL_SHIFT_REMOVED)
    assert event.detail == f"shift #{shift.pk} user #{world.users['caseworker'].pk} position 1"


def test_it_refuses_to_remove_for_anyone_else_or_twice(world):
    shift = on_call(world, "caseworker", 1)
    with pytest.raises(CaseActionRefused):
        do_remove_on_call_shift(shift, actor=world.users["caseworker"])
    do_remove_on_call_shift(shift, actor=world.users["supervisor"])
    with pytest.raises(CaseActionRefused) as refusal:
        do_remove_on_call_shift(shift, actor=world.users["supervisor"])
    assert str(refusal.value) == "This shift was removed already."
    assert AuditEvent.objects.filter(event_type=EventType.ON_CALL_SHIFT_REMOVED).count() == 1


def test_on_call_now_orders_by_position_and_names_each_person_once(world):
    now = timezone.now()
    on_call(world, "caseworker", 3)
    on_call(world, "triage", 1)
    on_call(world, "supervisor", 2)
    on_call(world, "triage", 4)
    on_call(world, "admin", 1, starts=now + HOUR)  # not begun
    on_call(world, "admin2", 1, starts=now - 3 * HOUR, ends=now - HOUR)  # over
    names = [user.username for user in on_call_now(world.organisation, now)]
    assert names == ["triage", "supervisor", "caseworker"]


def test_on_call_now_skips_roles_never_on_call_and_members_under_duress(world):
    now = timezone.now()
    on_call(world, "finance", 1)  # shifts left from before, or a database writer's
    on_call(world, "advocacy", 2)
    on_call(world, "triage", 3)
    on_call(world, "caseworker", 4)
    do_suspend_keys_for_duress(world.users["triage"], actor=world.users["triage"])
    names = [user.username for user in on_call_now(world.organisation, now)]
    assert names == ["caseworker"]
