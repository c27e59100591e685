"""Acknowledging a journey alert (travel.alarms.actions.do_acknowledge_alert): audited, it
stops the escalation; only the case's caseworker, someone on call for its organisation now or
one of its supervisors may, and only once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from safehaven.accounts.models import Membership, Role, SuspensionReason
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.tests.helpers import staff_member
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.travel.alarms.actions import do_acknowledge_alert
from safehaven.travel.models import JourneyAlert
from safehaven.travel.tests.alarm_helpers import (
    HOUR,
    alerts_of,
    expected_check_in,
    in_transit_case,
    notified_at,
    on_call,
    watch,
)

pytestmark = pytest.mark.django_db

NOT_YOURS = (
    "Only the case's caseworker, the staff on call for its organisation or one of its "
    "supervisors can acknowledge this alert."
)


def raised_alert(world) -> JourneyAlert:
    case = in_transit_case(world)
    expected_check_in(case)
    watch()
    (alert,) = alerts_of(case)
    return alert


def test_it_acknowledges_audits_and_stops_the_escalation(world):
    on_call(world, "triage", 1)
    on_call(world, "admin", 2)
    alert = raised_alert(world)
    do_acknowledge_alert(alert, actor=world.users["caseworker"])
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.users["caseworker"]
    assert alert.acknowledged_at is not None
    event = AuditEvent.objects.get(event_type=EventType.ALERT_ACKNOWLEDGED)
    assert (event.actor_id, event.detail) == (
        world.users["caseworker"].pk,
        f"alert #{alert.pk} level 0",
    )
    assert event.target_ref == str(alert.case_id)
    mail.outbox.clear()
    assert watch(now=timezone.now() + 2 * HOUR).escalated == 0
    alert.refresh_from_db()
    assert alert.level == 0
    assert mail.outbox == []


@pytest.mark.parametrize("username", ["triage", "admin"])
def test_it_lets_anyone_on_call_for_the_organisation_acknowledge(world, username):
    alert = raised_alert(world)
    on_call(world, username, 3)
    do_acknowledge_alert(alert, actor=world.users[username])
    assert JourneyAlert.objects.get(pk=alert.pk).acknowledged_by == world.users[username]


def test_it_lets_a_supervisor_of_the_organisation_acknowledge(world):
    alert = raised_alert(world)
    do_acknowledge_alert(alert, actor=world.users["supervisor"])
    assert JourneyAlert.objects.get(pk=alert.pk).acknowledged_by == world.users["supervisor"]


@pytest.mark.parametrize(
    "username", ["triage", "finance", "advocacy", "admin", "interpreter", "partner_a"]
)
def test_it_refuses_anyone_else(world, username):
    alert = raised_alert(world)
    with pytest.raises(CaseActionRefused) as refusal:
        do_acknowledge_alert(alert, actor=world.users[username])
    assert str(refusal.value) == NOT_YOURS
    assert JourneyAlert.objects.get(pk=alert.pk).acknowledged_at is None
    assert not AuditEvent.objects.filter(event_type=EventType.ALERT_ACKNOWLEDGED).exists()


def test_it_refuses_another_caseworker_and_a_shift_that_is_over_or_not_begun(world):
    alert = raised_alert(world)
    other = staff_member(world, "other_caseworker")
    now = timezone.now()
    on_call(world, "triage", 1, starts=now - 3 * HOUR, ends=now - HOUR)
    on_call(world, "admin", 1, starts=now + HOUR, ends=now + 3 * HOUR)
    for user in (other, world.users["triage"], world.users["admin"]):
        with pytest.raises(CaseActionRefused):
            do_acknowledge_alert(alert, actor=user)


def test_it_refuses_someone_on_call_or_supervising_in_another_organisation(world):
    alert = raised_alert(world)
    elsewhere = staff_member(world, "elsewhere", Role.TRIAGE)
    Membership.objects.filter(user=elsewhere).update(organisation=world.partner_a)
    world.users["elsewhere"] = elsewhere
    on_call(world, "elsewhere", 1, organisation=world.partner_a)
    Membership.objects.create(
        user=world.users["finance"], organisation=world.partner_b, role=Role.SUPERVISOR
    )
    for user in (elsewhere, world.users["finance"]):
        with pytest.raises(CaseActionRefused):
            do_acknowledge_alert(alert, actor=user)


def test_it_refuses_a_shift_of_someone_who_left_the_staff_roles(world):
    alert = raised_alert(world)
    on_call(world, "triage", 1)
    Membership.objects.filter(user=world.users["triage"]).update(role=Role.INTERPRETER)
    with pytest.raises(CaseActionRefused):
        do_acknowledge_alert(alert, actor=world.users["triage"])


def test_it_refuses_a_suspended_caseworker(world):
    alert = raised_alert(world)
    caseworker = world.users["caseworker"]
    caseworker.suspend(SuspensionReason.SECURITY_CONCERN)
    caseworker.save()
    with pytest.raises(CaseActionRefused):
        do_acknowledge_alert(alert, actor=caseworker)


def test_it_refuses_an_alert_acknowledged_already(world):
    alert = raised_alert(world)
    do_acknowledge_alert(alert, actor=world.users["supervisor"])
    with pytest.raises(CaseActionRefused) as refusal:
        do_acknowledge_alert(alert, actor=world.users["caseworker"])
    assert str(refusal.value) == "This alert was acknowledged already."
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.users["supervisor"]
    assert AuditEvent.objects.filter(event_type=EventType.ALERT_ACKNOWLEDGED).count() == 1


def test_it_acknowledges_an_escalated_alert_and_says_its_level(world):
    alert = raised_alert(world)
    watch(now=notified_at(alert) + datetime.timedelta(minutes=31))
    alert.refresh_from_db()
    do_acknowledge_alert(alert, actor=world.users["supervisor"])
    event = AuditEvent.objects.get(event_type=EventType.ALERT_ACKNOWLEDGED)
    assert event.detail == f"alert #{alert.pk} level 1"
