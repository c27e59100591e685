"""Background work of intake (Django Tasks; ``manage.py db_worker`` runs it).

Task arguments are stored in clear, so they are ids only. ``manage.py shred_withdrawn`` does the
same work from a timer and is the backstop when no worker runs. The erasure itself is in
``erasure/``; the task stays in this module because a queued task is stored under its dotted
path (``safehaven.intake.tasks.shred_withdrawn_request``): moving it would strand the erasures
queued before an upgrade.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.tasks import TaskResult, task
from django.tasks.exceptions import InvalidTask

from safehaven.core.coarse_time import hour_of
from safehaven.intake.models import HelpRequest

logger = logging.getLogger(__name__)


@task()
def shred_withdrawn_request(help_request_id: int) -> bool:
    """Erase one withdrawn request if its grace period is over; False if it is not (yet)."""
    from safehaven.intake.erasure.actions import shred_if_due

    return shred_if_due(help_request_id)


def enqueue_shred(help_request: HelpRequest) -> None:
    """Ask a worker to erase ``help_request`` when its grace period ends, if the task backend
    can defer work; otherwise the timer's ``shred_withdrawn`` does it."""
    if help_request.shred_due_at is None:
        return
    # Django refuses run_after on a backend that cannot defer, so ask the backend first.
    if not shred_withdrawn_request.get_backend().supports_defer:
        return
    try:
        result = shred_withdrawn_request.using(run_after=help_request.shred_due_at).enqueue(
            help_request_id=help_request.pk
        )
        _keep_only_the_hour_of_enqueueing(result)
    except InvalidTask:
        return
    except DatabaseError as failure:
        # This runs after the withdrawal committed: raising would tell the person it failed.
        # The timer's shred_withdrawn erases the request all the same. The class name only: a
        # database's message may quote values.
        logger.error(
            "the erasure of a withdrawn request could not be queued (%s); "
            "shred_withdrawn will do it",
            type(failure).__name__,
        )


def _keep_only_the_hour_of_enqueueing(result: TaskResult[..., bool]) -> None:
    """The task's row names the request, and it is queued at the person's withdrawal (or
    check-in): the database backend stamps the row to the microsecond, so keep the hour only,
    as for every time of a requester's action (``core.coarse_time``)."""
    row = getattr(result, "db_result", None)
    if row is None:
        return
    type(row)._default_manager.filter(pk=row.pk).update(enqueued_at=hour_of(row.enqueued_at))
