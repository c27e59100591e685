"""Background work of travel (Django Tasks; ``manage.py db_worker`` runs it).

Task arguments are stored in clear, so they are ids only. ``manage.py watch_check_ins`` queues
``watch_journeys`` from a timer, and with ``--now`` does the same work itself (the backstop
when no worker runs). The work is in ``alarms/``; the tasks stay in this module because a
queued task is stored under its dotted path (``safehaven.travel.tasks.watch_journeys``,
``safehaven.travel.tasks.send_alert_notices``): moving them would strand the tasks queued
before an upgrade.
"""

from __future__ import annotations

from django.tasks import task

from safehaven.travel.alarms.actions import do_watch_journeys
from safehaven.travel.alarms.notices import deliver_alert_notices, register_alert_notice_task


@task()
def watch_journeys() -> dict[str, int]:
    """Raise an alert for every missed check-in, escalate the alerts not acknowledged in
    time, and queue again the first e-mails of an alert that never went out."""
    return do_watch_journeys().counts()


@task()
def send_alert_notices(alert_id: int) -> int:
    """E-mail the people an alert must reach at its current level, in words that name
    nothing; 0 once it is acknowledged."""
    return deliver_alert_notices(alert_id)


register_alert_notice_task(send_alert_notices)
