"""A worker killed mid-way through the timer's work, with real commits (a transactional test):
every alert it committed stays, exactly one per missed check-in after the next runs, and the
e-mails (which may repeat) name nothing."""

import datetime

import pytest
from django.core import mail

from safehaven.travel.alarms import actions, notices
from safehaven.travel.alarms.actions import do_watch_journeys
from safehaven.travel.models import JourneyAlert
from safehaven.travel.tests.alarm_helpers import (
    PLACE,
    expected_check_in,
    in_transit_case,
    mailed_to,
    usernames,
)

pytestmark = pytest.mark.django_db(transaction=True)


def killed_at_first_call(function):
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise SystemExit("the worker was killed")
        return function(*args, **kwargs)

    return wrapper


def test_it_keeps_one_alert_per_missed_check_in_when_a_worker_dies_after_a_commit(
    world, monkeypatch
):
    case = in_transit_case(world)
    first, second = expected_check_in(case), expected_check_in(case)
    monkeypatch.setattr(
        actions, "enqueue_alert_notices", killed_at_first_call(actions.enqueue_alert_notices)
    )
    with pytest.raises(SystemExit):
        do_watch_journeys()
    # The first alert committed before its e-mails were queued; the second was never reached.
    assert list(JourneyAlert.objects.values_list("expected_id", flat=True)) == [first.pk]
    assert mail.outbox == []
    monkeypatch.undo()
    raised_at = JourneyAlert.objects.get().raised_at
    result = do_watch_journeys(now=raised_at + datetime.timedelta(minutes=11))
    assert (result.raised, result.noticed_again) == (1, 1)
    do_watch_journeys(now=raised_at + datetime.timedelta(minutes=12))
    assert sorted(JourneyAlert.objects.values_list("expected_id", flat=True)) == [
        first.pk,
        second.pk,
    ]
    assert JourneyAlert.objects.filter(notified_at__isnull=True).count() == 0
    assert sorted(usernames(mailed_to())) == ["caseworker"] * 2 + ["supervisor"] * 2


def test_it_sends_an_e_mail_again_but_never_a_second_alert_when_a_worker_dies_mid_sending(
    world, monkeypatch
):
    case = in_transit_case(world)
    expected_check_in(case)
    # Killed after the e-mails went, before the alert was marked notified (the task backend
    # records the task as failed, as a worker's death leaves it).
    monkeypatch.setattr(notices, "minute_of", killed_at_first_call(notices.minute_of))
    do_watch_journeys()
    alert = JourneyAlert.objects.get()
    assert alert.notified_at is None
    assert len(mail.outbox) == 2
    for run in (11, 12, 13):
        do_watch_journeys(now=alert.raised_at + datetime.timedelta(minutes=run))
    assert JourneyAlert.objects.count() == 1
    assert sorted(usernames(mailed_to())) == ["caseworker"] * 2 + ["supervisor"] * 2
    for message in mail.outbox:
        for text in (message.subject, message.body):
            assert PLACE not in text
            assert str(case.pk) not in text
            assert not any(character.isdigit() for character in str(text))
