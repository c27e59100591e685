"""For monitoring: fail when background tasks wait with no worker to run them, or failed.

A duress alert (someone made to log in), a team's re-wrap after a rotation and an erasure the
person asked for all run as tasks in ``manage.py db_worker``. When no worker runs they wait in
the database, and nothing else tells the operators. Prints task names and counts only: a
task's arguments (ids) stay out of monitoring output.
"""

from argparse import ArgumentTypeError
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.db.models import Count, Q, QuerySet
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max


class Command(BaseCommand):
    help = (
        "Exit with status 1 when a background task has waited past its time for longer than "
        "--late-after-minutes (no `db_worker` runs), has been running for longer than "
        "--stuck-after-minutes (its worker died), or failed within --failed-within-hours; "
        "print task names and counts only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--late-after-minutes", type=positive_whole_number, default=10)
        parser.add_argument("--failed-within-hours", type=positive_whole_number, default=24)
        # The tasks are short (a mail with a 20 s timeout, a re-wrap): a task "running" this
        # long was left so by a worker that died mid-task, and no worker takes it up again.
        parser.add_argument("--stuck-after-minutes", type=positive_whole_number, default=30)

    def handle(
        self,
        *args: Any,
        late_after_minutes: int,
        failed_within_hours: int,
        stuck_after_minutes: int,
        **options: Any,
    ) -> None:
        now = timezone.now()
        late_by = now - timedelta(minutes=late_after_minutes)
        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
            # A task to run at once has no time of its own: it is due when it was queued.
            Q(run_after=get_date_max(), enqueued_at__lte=late_by)
            | Q(run_after__lt=get_date_max(), run_after__lte=late_by)
        )
        stuck = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING,
            started_at__lte=now - timedelta(minutes=stuck_after_minutes),
        )
        failed = DBTaskResult.objects.filter(
            status=TaskResultStatus.FAILED,
            finished_at__gte=now - timedelta(hours=failed_within_hours),
        )
        try:
            counts = [
                (_count_by_task(tasks), what)
                for tasks, what in (
                    (waiting, f"waiting more than {late_after_minutes} minutes past its time"),
                    (stuck, f"running for more than {stuck_after_minutes} minutes"),
                    (failed, f"failed within {failed_within_hours} hours"),
                )
            ]
        except DatabaseError as failure:
            raise CommandError(
                f"Could not read the task queue ({type(failure).__name__}): tasks were not checked."
            ) from None
        problems = [
            f"{count} {name} {what}"
            for counter, what in counts
            for name, count in sorted(counter.items())
        ]
        if problems:
            late, running, _failed = (counter for counter, _what in counts)
            hints = []
            if late or running:
                hints.append(" Is `manage.py db_worker` running?")
            if running:
                hints.append(" A task left running by a worker that died is not taken up again.")
            raise CommandError("; ".join(problems) + "." + "".join(hints))
        self.stdout.write("No task is late, stuck or failed.")


def _count_by_task(tasks: QuerySet[DBTaskResult]) -> dict[str, int]:
    rows = tasks.order_by().values_list("task_path").annotate(count=Count("pk"))
    return dict(rows)


def positive_whole_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)
