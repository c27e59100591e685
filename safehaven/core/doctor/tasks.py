"""Task-worker liveness, read from django-tasks-db's own table (no heartbeat row of ours).

A worker leaves a trace only when it runs a task: the newest ``started_at``/``finished_at`` is
the last time one was seen. An idle queue with an old trace is not a fault; a task waiting past
its time is (SECURITY.md: duress alerts, re-wraps and erasures are tasks).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Max, Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from safehaven.core.doctor.registry import Options, Result, fail, ok, register, warn

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


@register(
    "task worker",
    order=60,
    explanation="with the database task backend, a `manage.py db_worker` runs: fail when a "
    "task has waited past its time for more than --task-late-minutes (10), saying when a "
    "worker last ran a task; warn when no task has ever run",
)
def check_task_worker(options: Options) -> list[Result]:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != DATABASE_BACKEND:
        return [ok(f"tasks run with {backend.rsplit('.', 1)[-1]}: no worker needed")]
    now = timezone.now()
    late_by = now - options.task_late_after
    waiting = (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .filter(
            Q(run_after=get_date_max(), enqueued_at__lte=late_by)
            | Q(run_after__lt=get_date_max(), run_after__lte=late_by)
        )
        .count()
    )
    seen = DBTaskResult.objects.aggregate(started=Max("started_at"), finished=Max("finished_at"))
    last_seen = max((time for time in seen.values() if time is not None), default=None)
    if last_seen is None:
        since = "no worker has ever run a task"
    else:
        since = f"no worker seen for {int((now - last_seen).total_seconds() // 60)} minutes"
    if waiting:
        late = int(options.task_late_after.total_seconds() // 60)
        return [
            fail(
                f"{waiting} tasks have waited more than {late} minutes past their time and "
                f"{since}: start manage.py db_worker (see also manage.py check_tasks)"
            )
        ]
    if last_seen is None:
        return [
            warn(
                "no task has ever run, so a worker cannot be told apart from none: "
                "make sure manage.py db_worker runs"
            )
        ]
    minutes = int((now - last_seen).total_seconds() // 60)
    return [ok(f"no task is late; a worker last ran a task {minutes} minutes ago")]
