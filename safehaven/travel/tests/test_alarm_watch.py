"""The timer's work (travel.alarms.actions.do_watch_journeys): one alert row per missed
check-in however often it runs, none after a check-in, and who is told, in words that name
nothing."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from safehaven.accounts.models import SuspensionReason
from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.travel.choices import AlertKind
from safehaven.travel.models import ExpectedCheckIn, JourneyAlert
from safehaven.travel.tests.alarm_helpers import (
    HOUR,
    PLACE,
    alerts_of,
    cancel,
    check_in,
    expected_check_in,
    in_transit_case,
    mailed_to,
    notified_at,
    on_call,
    usernames,
    watch,
)

pytestmark = pytest.mark.django_db

NOTICE_BODY = (
    "An alert is waiting for you in the workspace.\n\nSign in to see it and acknowledge it."
)


def assert_names_nothing(case: Case) -> None:
    assert mail.outbox
    for message in mail.outbox:
        for text in (message.subject, message.body):
            assert PLACE not in text
            assert not any(character.isdigit() for character in str(text)), text
        assert message.subject == "Workspace notice"
        assert message.body == NOTICE_BODY
        assert not message.attachments


def test_it_raises_exactly_one_alert_for_a_missed_check_in_however_often_it_runs(world):
    case = in_transit_case(world)
    missed = expected_check_in(case)
    expected_check_in(case, due_by=missed.due_by + 3 * HOUR)  # not due yet
    first = watch()
    second = watch()
    assert (first.raised, second.raised) == (1, 0)
    (alert,) = alerts_of(case)
    assert (alert.expected_id, alert.kind, alert.level) == (missed.pk, AlertKind.MISSED, 0)
    raised = AuditEvent.objects.filter(event_type=EventType.ALERT_RAISED)
    assert [event.detail for event in raised] == [f"alert #{alert.pk} check-in #{missed.pk}"]
    assert raised.get().actor_id is None


def test_it_raises_one_alert_per_missed_check_in(world):
    case = in_transit_case(world)
    rows = [expected_check_in(case), expected_check_in(case)]
    watch()
    assert sorted(alert.expected_id or 0 for alert in alerts_of(case)) == [row.pk for row in rows]


def test_it_raises_no_alert_after_the_person_checked_in(world):
    case = in_transit_case(world)
    check_in(expected_check_in(case))
    assert watch().raised == 0
    assert alerts_of(case) == []
    assert mail.outbox == []


def test_it_raises_no_alert_before_the_deadline(world):
    case = in_transit_case(world)
    row = expected_check_in(case, due_by=timezone.now().replace(minute=0) + HOUR)
    assert watch().raised == 0
    assert watch(now=row.due_by + datetime.timedelta(minutes=1)).raised == 1


def test_it_raises_none_for_a_cancelled_check_in_or_a_closed_case(world):
    case = in_transit_case(world)
    cancel(expected_check_in(case))
    closed = in_transit_case(world)
    expected_check_in(closed)
    Case.objects.filter(pk=closed.pk).update(state=CaseState.CLOSED)
    assert watch().raised == 0
    assert not JourneyAlert.objects.exists()


def test_it_still_alerts_when_a_database_writer_marks_a_check_in_without_its_report(world):
    case = in_transit_case(world)
    row = expected_check_in(case)
    ExpectedCheckIn.objects.filter(pk=row.pk).update(checked_in_at=row.due_by)
    assert watch().raised == 1


def test_it_tells_the_caseworker_and_the_first_on_call_in_words_that_name_nothing(world):
    on_call(world, "admin", 2)
    on_call(world, "triage", 1)
    case = in_transit_case(world)
    expected_check_in(case)
    watch()
    assert sorted(usernames(mailed_to())) == ["caseworker", "triage"]
    assert_names_nothing(case)
    (alert,) = alerts_of(case)
    assert notified_at(alert).second == notified_at(alert).microsecond == 0


def test_it_tells_the_supervisors_when_nobody_is_on_call(world):
    case = in_transit_case(world)
    expected_check_in(case)
    watch()
    assert sorted(usernames(mailed_to())) == ["caseworker", "supervisor"]


def test_it_never_tells_a_suspended_or_inactive_user(world):
    case = in_transit_case(world)
    expected_check_in(case)
    world.users["triage"].suspend(SuspensionReason.SECURITY_CONCERN)
    world.users["triage"].save()
    world.users["caseworker"].is_active = False
    world.users["caseworker"].save()
    on_call(world, "triage", 1)
    on_call(world, "admin", 2)
    watch()
    assert usernames(mailed_to()) == ["admin"]


def test_it_never_tells_someone_on_call_for_another_organisation(world):
    on_call(world, "partner_a", 1, organisation=world.partner_a)
    case = in_transit_case(world)
    expected_check_in(case)
    watch()
    assert "partner_a" not in usernames(mailed_to())


def test_it_escalates_after_thirty_minutes_to_the_next_person_on_call(world):
    on_call(world, "triage", 1)
    on_call(world, "admin", 2)
    on_call(world, "admin2", 3)
    case = in_transit_case(world)
    expected_check_in(case)
    watch()
    (alert,) = alerts_of(case)
    start = notified_at(alert)
    mail.outbox.clear()
    assert watch(now=start + datetime.timedelta(minutes=29)).escalated == 0
    assert mail.outbox == []
    assert watch(now=start + datetime.timedelta(minutes=30)).escalated == 1
    alert.refresh_from_db()
    assert alert.level == 1
    assert alert.notified_at == start + datetime.timedelta(minutes=30)
    assert usernames(mailed_to()) == ["admin"]
    assert_names_nothing(case)
    escalated = AuditEvent.objects.get(event_type=EventType.ALERT_ESCALATED)
    assert (escalated.actor_id, escalated.detail) == (None, f"alert #{alert.pk} level 1")
    mail.outbox.clear()
    watch(now=start + datetime.timedelta(minutes=60))
    assert usernames(mailed_to()) == ["admin2"]
    mail.outbox.clear()
    # The rota ran out: its last person again, and the supervisors.
    watch(now=start + datetime.timedelta(minutes=90))
    assert sorted(usernames(mailed_to())) == ["admin2", "supervisor"]
    alert.refresh_from_db()
    assert alert.level == 3


def test_it_escalates_from_the_raising_when_no_e_mail_went(world):
    case = in_transit_case(world)
    expected_check_in(case)
    world.users["supervisor"].delete()
    world.users["caseworker"].is_active = False
    world.users["caseworker"].save()
    watch()
    (alert,) = alerts_of(case)
    assert alert.notified_at is None
    assert watch(now=alert.raised_at + datetime.timedelta(minutes=31)).escalated == 1


def test_it_moves_an_alert_one_level_when_two_runs_saw_it_due(world):
    from safehaven.travel.alarms import actions

    case = in_transit_case(world)
    expected_check_in(case)
    watch()
    (alert,) = alerts_of(case)
    later = notified_at(alert) + datetime.timedelta(minutes=31)
    seen_by_both = actions._ids(actions.due_to_escalate(later))
    assert seen_by_both == [alert.pk]
    assert watch(now=later).escalated == 1
    assert actions._escalate(alert.pk, later) is False
    alert.refresh_from_db()
    assert alert.level == 1
    assert AuditEvent.objects.filter(event_type=EventType.ALERT_ESCALATED).count() == 1


def test_it_sends_the_first_e_mails_again_when_they_never_went(world, monkeypatch):
    from safehaven.travel.alarms import actions

    case = in_transit_case(world)
    expected_check_in(case)
    monkeypatch.setattr(actions, "enqueue_alert_notices", lambda alert: None)
    watch()
    monkeypatch.undo()
    (alert,) = alerts_of(case)
    assert mail.outbox == []
    assert watch(now=alert.raised_at + datetime.timedelta(minutes=9)).noticed_again == 0
    assert watch(now=alert.raised_at + datetime.timedelta(minutes=10)).noticed_again == 1
    assert sorted(usernames(mailed_to())) == ["caseworker", "supervisor"]
    assert len(alerts_of(case)) == 1


def test_it_raises_none_after_a_check_in_from_the_status_page_and_tells_of_a_danger_one(world):
    from safehaven.cases.tests.helpers import primary_request
    from safehaven.travel.check_ins.listener import hear_check_in

    calm, endangered = in_transit_case(world), in_transit_case(world)
    expected_check_in(calm)
    expected_check_in(endangered)
    hear_check_in(primary_request(calm), danger=False)
    with TestCase.captureOnCommitCallbacks(execute=True):
        hear_check_in(primary_request(endangered), danger=True)
    assert sorted(usernames(mailed_to())) == ["caseworker", "supervisor"]
    assert_names_nothing(endangered)
    assert watch().raised == 0
    assert alerts_of(calm) == []
    assert [alert.kind for alert in alerts_of(endangered)] == [AlertKind.RAISED]
