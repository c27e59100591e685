"""Journey alerts read from clear columns only: the missed check-ins the timer must alert on,
the alerts due to escalate, who sees and may acknowledge an alert, and what monitoring
reports late."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from safehaven.accounts.models import Membership, Role, User
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.models import CaseAssignment
from safehaven.travel.check_ins.tags import check_in_tag_matches
from safehaven.travel.choices import AlertKind
from safehaven.travel.models import ExpectedCheckIn, JourneyAlert
from safehaven.travel.on_call.queries import is_reachable, organisations_on_call

ESCALATE_AFTER = datetime.timedelta(minutes=30)
# The first e-mails of an alert normally go within a minute of the run that raised it; after
# this long without any, the timer queues them again (a worker died, the queue failed).
NOTICE_AGAIN_AFTER = datetime.timedelta(minutes=10)
# Three runs of the 5-minute timer: monitoring reports what is later than that.
LATE_AFTER = datetime.timedelta(minutes=15)
# Only a journey under way is watched, and one that lost contact (its windows still pass, and
# a missed one must still alarm). Confirming the arrival and cancelling the booking cancel the
# check-ins still waiting; this also covers every other way out of these states (the ordinary
# move form to "arrived", back to "planning", closing), where check-ins left waiting would
# raise false "missed" alerts. Alerts already raised still escalate, and a danger check-in
# still raises one (``check_ins.listener``). The state is a clear column: a database writer can
# silence the alarm by changing it, as closing the case always could.
WATCHED_STATES = (CaseState.TRAVEL_BOOKED, CaseState.IN_TRANSIT, CaseState.LOST_CONTACT)


def watched_check_ins() -> QuerySet[ExpectedCheckIn]:
    """Every expected check-in of a journey the timer watches."""
    return ExpectedCheckIn.objects.filter(case__state__in=WATCHED_STATES)


def is_missed(row: ExpectedCheckIn, now: datetime.datetime) -> bool:
    """Whether the alarm must go for ``row`` at ``now``: past its deadline, neither checked in
    nor cancelled; or at once when its clear columns do not carry their tag
    (``check_ins.tags``): a database writer marked it checked in or cancelled, or moved its
    window, so nothing in it can be trusted, its deadline included."""
    if not check_in_tag_matches(row):
        return True
    return row.is_waiting and row.due_by < now


def missed_without_alert(now: datetime.datetime) -> list[int]:
    """The ids of the check-ins of watched journeys missed at ``now`` that have no "missed"
    alert yet, in order. Read row by row: only the application can check a tag."""
    rows = watched_check_ins().exclude(alerts__kind=AlertKind.MISSED).order_by("pk")
    return [row.pk for row in rows.iterator() if is_missed(row, now)]


def waiting_alerts() -> QuerySet[JourneyAlert]:
    return JourneyAlert.objects.filter(acknowledged_at__isnull=True)


def due_to_escalate(now: datetime.datetime) -> QuerySet[JourneyAlert]:
    """Alerts not acknowledged 30 minutes after their last round of e-mails (or after they
    were raised, if no e-mail went)."""
    before = now - ESCALATE_AFTER
    return waiting_alerts().filter(
        Q(notified_at__lte=before) | Q(notified_at__isnull=True, raised_at__lte=before)
    )


def never_notified(now: datetime.datetime) -> QuerySet[JourneyAlert]:
    """Alerts whose first e-mails never went out (only level 0: escalating marks the time)."""
    return waiting_alerts().filter(
        notified_at__isnull=True, level=0, raised_at__lte=now - NOTICE_AGAIN_AFTER
    )


def late_missed_check_ins(now: datetime.datetime) -> int:
    """Missed check-ins without an alert well after their deadline: the timer is not running."""
    return len(missed_without_alert(now - LATE_AFTER))


def unheard_alerts(now: datetime.datetime) -> int:
    """Alerts nobody was told of in time, or not escalated on time: no worker sends the
    e-mails, nobody can be told (no caseworker, rota or supervisor), or the timer stopped."""
    return (
        waiting_alerts()
        .filter(
            Q(notified_at__isnull=True, raised_at__lte=now - LATE_AFTER)
            | Q(notified_at__lte=now - ESCALATE_AFTER - LATE_AFTER)
        )
        .count()
    )


def alerts_for(user: User, now: datetime.datetime) -> QuerySet[JourneyAlert]:
    """The alerts ``user`` sees and may acknowledge: of the cases assigned to them as
    caseworker (while they are a caseworker of the case's organisation: removing a member
    leaves their assignment rows behind), of the organisations they are on call for now, and
    of those they supervise. None for a suspended or inactive user, nor one under duress."""
    if not is_reachable(user):
        return JourneyAlert.objects.none()
    caseworker_in = Membership.objects.filter(user=user, role=Role.CASEWORKER)
    assigned = CaseAssignment.objects.filter(
        user=user,
        role=AssignmentRole.CASEWORKER,
        case__organisation_id__in=caseworker_in.values("organisation_id"),
    )
    supervised = Membership.objects.filter(user=user, role=Role.SUPERVISOR)
    return JourneyAlert.objects.filter(
        Q(case_id__in=assigned.values("case_id"))
        | Q(case__organisation_id__in=organisations_on_call(user, now).values("pk"))
        | Q(case__organisation_id__in=supervised.values("organisation_id"))
    )


def may_acknowledge(alert: JourneyAlert, user: User, now: datetime.datetime) -> bool:
    return alerts_for(user, now).filter(pk=alert.pk).exists()
