"""``manage.py watch_check_ins``: queues the watch (the task does the work), ``--now`` does it
in the process and sends the e-mails itself, ``--check`` fails when the alarm is late."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command, execute_from_command_line
from django.utils import timezone

from safehaven.travel.alarms import notices
from safehaven.travel.choices import AlertKind
from safehaven.travel.models import JourneyAlert
from safehaven.travel.tests.alarm_helpers import (
    alerts_of,
    expected_check_in,
    in_transit_case,
    usernames,
)

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("watch_check_ins", *args, stdout=out)
    return out.getvalue()


def test_it_queues_the_watch_which_raises_the_alert(world, django_capture_on_commit_callbacks):
    case = in_transit_case(world)
    expected_check_in(case)
    with django_capture_on_commit_callbacks(execute=True):
        assert run() == "Queued the watch of journeys.\n"
    assert [alert.kind for alert in alerts_of(case)] == [AlertKind.MISSED]
    assert sorted(usernames([m.to[0] for m in mail.outbox])) == ["caseworker", "supervisor"]


@pytest.mark.django_db(transaction=True)
def test_now_does_the_work_and_sends_the_e_mails_without_a_worker(world, monkeypatch):
    # Real commits: the e-mails go from each alert's commit hook, inside the command.
    case = in_transit_case(world)
    expected_check_in(case)

    class NoWorker:
        def enqueue(self, **kwargs):
            raise AssertionError("--now must not queue the e-mails")

    monkeypatch.setattr(notices, "_SEND_TASK", [NoWorker()])
    out = run("--now")
    assert out == "Raised 1 alerts; escalated 0; sent the first e-mails again for 0.\n"
    assert len(mail.outbox) == 2
    assert JourneyAlert.objects.get().notified_at is not None


def test_check_passes_when_nothing_is_late(world):
    case = in_transit_case(world)
    expected_check_in(case, due_by=timezone.now().replace(minute=0) + datetime.timedelta(hours=1))
    assert "every alert was heard" in run("--check")


def test_check_fails_on_a_missed_check_in_without_an_alert_and_passes_after_the_watch(
    world, django_capture_on_commit_callbacks
):
    case = in_transit_case(world)
    expected_check_in(case)
    with pytest.raises(CommandError, match=r"^1 check-in\(s\) missed more than 15 minutes"):
        run("--check")
    assert not JourneyAlert.objects.exists()  # --check changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        run("--now")
    run("--check")


def test_check_fails_on_an_alert_that_told_nobody(world):
    case = in_transit_case(world)
    JourneyAlert.objects.create(
        case=case, kind=AlertKind.RAISED, raised_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    with pytest.raises(CommandError, match="1 unacknowledged alert"):
        run("--check")


def test_check_fails_on_an_alert_not_escalated_on_time_but_not_on_an_acknowledged_one(world):
    case = in_transit_case(world)
    long_ago = timezone.now() - datetime.timedelta(minutes=50)
    alert = JourneyAlert.objects.create(
        case=case, kind=AlertKind.RAISED, raised_at=long_ago, notified_at=long_ago
    )
    with pytest.raises(CommandError, match="1 unacknowledged alert"):
        run("--check")
    JourneyAlert.objects.filter(pk=alert.pk).update(acknowledged_at=timezone.now())
    run("--check")


def test_check_exits_with_status_one_from_the_command_line(world):
    case = in_transit_case(world)
    expected_check_in(case)
    with pytest.raises(SystemExit) as exit_status:
        execute_from_command_line(["manage.py", "watch_check_ins", "--check"])
    assert exit_status.value.code == 1
