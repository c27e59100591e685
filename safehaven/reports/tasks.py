"""Background work of reports (Django Tasks; ``manage.py db_worker`` runs it).

Task arguments are stored in clear, so they are ids only. ``manage.py apply_retention`` does
the same work from a daily timer. A queued task is stored under its dotted path
(``safehaven.reports.tasks.apply_retention_task``): keep it here.
"""

from __future__ import annotations

from django.tasks import task

from safehaven.accounts.models import User


@task()
def apply_retention_task(started_by_id: int | None = None) -> dict[str, int]:
    """Erase everything past its organisation's retention rule; the counts erased."""
    from safehaven.reports.retention.actions import do_apply_retention

    actor = User.objects.filter(pk=started_by_id).first() if started_by_id is not None else None
    run = do_apply_retention(dry_run=False, actor=actor)
    return {"run": run.pk, "cases": run.cases, "requests": run.requests}
