"""``manage.py check_tasks``: monitoring fails when tasks wait without a worker, or failed."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from safehaven.core.tests.failing_database import failing_on

pytestmark = pytest.mark.django_db
DURESS_ALERT = "safehaven.keys.tasks.send_duress_alert"
ERASURE = "safehaven.intake.tasks.shred_withdrawn_request"


def queued(task_path: str, *, queued_ago: timedelta, **fields) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        task_path=task_path,
        args_kwargs={"args": [], "kwargs": {"user_id": 4242}},
        backend_name="default",
        run_after=fields.pop("run_after", get_date_max()),
        **fields,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - queued_ago)
    return task


def check_tasks(*options: str) -> str:
    out = StringIO()
    call_command("check_tasks", *options, stdout=out)
    return out.getvalue()


def test_it_passes_when_nothing_waits_or_failed():
    queued(DURESS_ALERT, queued_ago=timedelta(minutes=3))
    queued(ERASURE, queued_ago=timedelta(days=1), run_after=timezone.now() + timedelta(hours=2))
    queued(
        DURESS_ALERT,
        queued_ago=timedelta(hours=1),
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=2),
    )
    assert "No task is late, stuck or failed." in check_tasks()


def test_it_fails_when_a_task_waits_with_no_worker_to_run_it():
    queued(DURESS_ALERT, queued_ago=timedelta(minutes=15))
    with pytest.raises(CommandError) as raised:
        check_tasks()
    report = str(raised.value)
    assert f"1 {DURESS_ALERT} waiting more than 10 minutes past its time" in report
    assert "db_worker" in report
    assert "4242" not in report  # a task's arguments never reach monitoring


def test_it_counts_a_deferred_task_from_its_time_not_from_when_it_was_queued():
    queued(ERASURE, queued_ago=timedelta(days=2), run_after=timezone.now() - timedelta(minutes=5))
    assert "No task is late" in check_tasks()
    queued(ERASURE, queued_ago=timedelta(days=2), run_after=timezone.now() - timedelta(minutes=20))
    with pytest.raises(CommandError, match=f"1 {ERASURE} waiting"):
        check_tasks()
    assert "No task is late" in check_tasks("--late-after-minutes", "30")


def test_it_fails_for_a_task_left_running_by_a_worker_that_died():
    queued(
        DURESS_ALERT,
        queued_ago=timedelta(days=2),
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=2),
    )
    with pytest.raises(CommandError) as raised:
        check_tasks()
    report = str(raised.value)
    assert f"1 {DURESS_ALERT} running for more than 30 minutes" in report
    assert "not taken up again" in report
    assert "No task is late" in check_tasks("--stuck-after-minutes", "180")


def test_it_fails_for_a_task_that_failed_lately():
    now = timezone.now()
    queued(
        DURESS_ALERT,
        queued_ago=timedelta(hours=3),
        status=TaskResultStatus.FAILED,
        finished_at=now - timedelta(hours=2),
    )
    queued(
        DURESS_ALERT,
        queued_ago=timedelta(days=3),
        status=TaskResultStatus.FAILED,
        finished_at=now - timedelta(days=2),
    )
    with pytest.raises(CommandError, match=f"^1 {DURESS_ALERT} failed within 24 hours.$"):
        check_tasks()
    assert "No task is late, stuck or failed." in check_tasks("--failed-within-hours", "1")


def test_it_fails_when_it_cannot_read_the_queue():
    with (
        failing_on(DBTaskResult._meta.db_table, "no such table"),
        pytest.raises(CommandError, match="OperationalError") as raised,
    ):
        check_tasks()
    assert "no such table" not in str(raised.value)


@pytest.mark.parametrize("bad", ["0", "-5", "ten", "1.5"])
def test_it_refuses_a_bad_limit(bad):
    with pytest.raises(CommandError, match="must be a whole number of at least 1"):
        call_command("check_tasks", f"--late-after-minutes={bad}")
