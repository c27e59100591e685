"""Raising, escalating and acknowledging journey alerts. Raising runs with nobody's key (the
timer, a check-in from the person's status page), so it reads and writes only clear columns."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from safehaven.accounts.models import User
from safehaven.cases.models import Case
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.travel.alarms.notices import enqueue_alert_notices
from safehaven.travel.choices import AlertKind
from safehaven.travel.models import ExpectedCheckIn, JourneyAlert


def do_raise_alert(
    case: Case,
    *,
    expected: ExpectedCheckIn | None,
    kind: AlertKind,
    actor: User | None = None,
) -> JourneyAlert | None:
    """Raise an alert on ``case`` (for the expected check-in ``expected``, if any) and queue its
    e-mails once committed. At most one alert per expected check-in and kind, however often
    or concurrently this runs: None when that alert exists already. ``actor`` is None when
    nobody's session raised it (the timer, the person's check-in)."""
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
