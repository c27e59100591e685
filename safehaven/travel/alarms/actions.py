"""Raising, escalating and acknowledging journey alerts. Raising and escalating run with
nobody's key (the timer, a check-in from the person's status page), so they read and write
only clear columns; so does acknowledging (an on-call member may hold no key of the case)."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.travel.alarms.notices import enqueue_alert_notices, minute_of
from safehaven.travel.alarms.queries import (
    due_to_escalate,
    is_missed,
    may_acknowledge,
    missed_without_alert,
    never_notified,
    watched_check_ins,
)
from safehaven.travel.choices import AlertKind
from safehaven.travel.models import ExpectedCheckIn, JourneyAlert

# An alert nobody acknowledges keeps escalating every 30 minutes; its level stops here (a
# small integer column), its e-mails do not.
LAST_LEVEL = 1000


def do_raise_alert(
    case: Case,
    *,
    expected: ExpectedCheckIn | None,
    kind: AlertKind,
    actor: User | None = None,
) -> JourneyAlert | None:
    """Raise an alert on ``case`` (for the expected check-in ``expected``, if any) and queue its
    e-mails once committed. At most one alert per expected check-in and kind, however often
    or concurrently this runs, and one unacknowledged alert without a check-in per case (the
    danger phrase typed again and again outside any window): None when that alert exists
    already, and it keeps escalating. ``actor`` is None when nobody's session raised it (the
    timer, the person's check-in)."""
    try:
        with transaction.atomic():
            alert = JourneyAlert.objects.create(case=case, expected=expected, kind=kind)
            record_event(
                EventType.ALERT_RAISED,
                actor=actor,
                organisation=case.organisation,
                target=case,
                detail=f"alert #{alert.pk}"
                + (f" check-in #{expected.pk}" if expected is not None else ""),
            )
            transaction.on_commit(lambda: enqueue_alert_notices(alert))
    except IntegrityError:
        return None
    return alert


@dataclass(frozen=True)
class WatchResult:
    raised: int
    escalated: int
    noticed_again: int

    def counts(self) -> dict[str, int]:
        return {
            "raised": self.raised,
            "escalated": self.escalated,
            "noticed_again": self.noticed_again,
        }


def do_watch_journeys(*, now: datetime.datetime | None = None) -> WatchResult:
    """The timer's work, with nobody's key (actor None): an alert for every expected check-in
    missed at ``now``, one escalation step for every alert not acknowledged within 30 minutes
    of its last e-mails, and the first e-mails queued again for an alert that never got them.
    Each alert in its own transaction, so a run killed half-way keeps what it did; safe to run
    twice at once (the unique alert per check-in, conditional updates)."""
    now = now or timezone.now()
    raised = sum(_raise_for_missed(pk, now) for pk in missed_without_alert(now))
    escalated = sum(_escalate(pk, now) for pk in _ids(due_to_escalate(now)))
    again = list(never_notified(now).select_related("case__organisation").order_by("pk"))
    for alert in again:
        enqueue_alert_notices(alert)
    return WatchResult(raised=raised, escalated=escalated, noticed_again=len(again))


def _ids(rows: QuerySet[Any]) -> list[int]:
    return list(rows.order_by("pk").values_list("pk", flat=True))


def _raise_for_missed(check_in_id: int, now: datetime.datetime) -> bool:
    with transaction.atomic():
        # Read again under the row's lock: a person who checked in since the list was read
        # gets no alert.
        row = (
            watched_check_ins()
            .select_for_update(of=("self",))
            .filter(pk=check_in_id)
            .select_related("case__organisation")
            .first()
        )
        if row is None or not is_missed(row, now):
            return False
        return do_raise_alert(row.case, expected=row, kind=AlertKind.MISSED) is not None


def _escalate(alert_id: int, now: datetime.datetime) -> bool:
    with transaction.atomic():
        # Read again: a run that listed it before another run escalated it finds it not due.
        alert = (
            due_to_escalate(now).select_related("case__organisation").filter(pk=alert_id).first()
        )
        if alert is None:
            return False
        level = min(alert.level + 1, LAST_LEVEL)
        # Only if nobody escalated or acknowledged it since it was read: two runs at once
        # move it one level, never two.
        moved = JourneyAlert.objects.filter(
            pk=alert.pk,
            level=alert.level,
            notified_at=alert.notified_at,
            acknowledged_at__isnull=True,
        ).update(level=level, notified_at=minute_of(now))
        if not moved:
            return False
        alert.level = level
        record_event(
            EventType.ALERT_ESCALATED,
            organisation=alert.case.organisation,
            target=alert.case,
            detail=f"alert #{alert.pk} level {level}",
        )
        transaction.on_commit(functools.partial(enqueue_alert_notices, alert))
    return True


def do_acknowledge_alert(
    alert: JourneyAlert, *, actor: User, now: datetime.datetime | None = None
) -> JourneyAlert:
    """``actor`` has seen the alert and takes it on: it escalates no further. Only the case's
    assigned caseworker, someone on call for its organisation now, or a supervisor there.
    Needs no key: nothing of an alert is sealed. Raises CaseActionRefused."""
    now = now or timezone.now()
    if not may_acknowledge(alert, actor, now):
        raise CaseActionRefused(
            _(
                "Only the case's caseworker, the staff on call for its organisation or one of "
                "its supervisors can acknowledge this alert."
            )
        )
    with transaction.atomic():
        taken = JourneyAlert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now, acknowledged_by=actor
        )
        if not taken:
            raise CaseActionRefused(_("This alert was acknowledged already."))
        taken_alert = JourneyAlert.objects.select_related("case__organisation").get(pk=alert.pk)
        record_event(
            EventType.ALERT_ACKNOWLEDGED,
            actor=actor,
            organisation=taken_alert.case.organisation,
            target=taken_alert.case,
            detail=f"alert #{alert.pk} level {taken_alert.level}",
        )
    return taken_alert
