"""Telling staff that an alert waits: e-mails that name nothing, sent by a Django task.
(The alarms helper fills this in: who is told, the task, escalation.)"""

from __future__ import annotations

from safehaven.travel.models import JourneyAlert


def enqueue_alert_notices(alert: JourneyAlert) -> None:
    """Queue the e-mails for a new or escalated alert (after the raising transaction commits)."""
