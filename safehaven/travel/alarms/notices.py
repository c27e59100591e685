"""Telling staff that an alert waits: e-mails that name nothing, sent by a Django task.

Who is told depends on the alert's level: at level 0 the case's assigned caseworkers (while
caseworkers of the case's organisation) and the first person on call for the case's
organisation; at level n the (n+1)-th person on call; once the rota runs out, its last person
again and every supervisor of the organisation. Never a suspended or inactive user, nor one
whose keys a duress login suspended. A mailbox may be read by the very people the alarm is
about, so neither the subject nor the body names a person, a place, a case or a detail: only
that an alert waits and to sign in. An e-mail may go twice (a worker killed after sending, a run
again after a failure); the alert row never repeats.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import smtplib
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError
from django.tasks import Task
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.models import Role, User
from safehaven.cases.choices import AssignmentRole
from safehaven.cases.models import CaseAssignment
from safehaven.travel.models import JourneyAlert
from safehaven.travel.on_call.queries import members_in_role, on_call_now, reachable_users

logger = logging.getLogger(__name__)

# The task that sends an alert's e-mails lives in ``travel.tasks`` (a queued task is stored
# under its dotted path), which imports this module for the work itself. It registers itself
# here when it is imported (``TravelConfig.ready`` imports it in every process), so this module
# never imports it back: no import loop.
_SEND_TASK: list[Task[..., int]] = []


def register_alert_notice_task(send_task: Task[..., int]) -> None:
    """Called once by ``travel.tasks``: the task that sends an alert's e-mails."""
    _SEND_TASK[:] = [send_task]


# Set by ``watch_check_ins --now``: with no worker running, a queued e-mail would never go.
_SEND_INLINE: ContextVar[bool] = ContextVar("alert_notices_inline", default=False)


class NoticesNotSent(RuntimeError):
    """Some e-mails of an alert could not be handed to the mail server (the task fails, so
    ``check_tasks`` reports it)."""


def minute_of(moment: datetime.datetime) -> datetime.datetime:
    """``notified_at`` is kept to the minute."""
    return moment.replace(second=0, microsecond=0)


@contextlib.contextmanager
def notices_sent_inline() -> Iterator[None]:
    """Within this block, alert e-mails are sent at once instead of queued for a worker."""
    token = _SEND_INLINE.set(True)
    try:
        yield
    finally:
        _SEND_INLINE.reset(token)


def enqueue_alert_notices(alert: JourneyAlert) -> None:
    """Queue the e-mails for a new or escalated alert (after the raising transaction commits).
    A failure here loses nothing for good: the alert row is committed and shows on the staff
    home pages, and the timer queues the first e-mails again (``do_watch_journeys``)."""
    if _SEND_INLINE.get():
        try:
            deliver_alert_notices(alert.pk)
        except Exception as failure:  # one alert's e-mails must not stop the run
            logger.error(
                "the e-mails of journey alert #%s could not be sent (%s)",
                alert.pk,
                type(failure).__name__,
            )
        return
    try:
        _SEND_TASK[0].enqueue(alert_id=alert.pk)
    except DatabaseError as failure:
        # The class name only: a database's message may quote values.
        logger.error(
            "the e-mails of journey alert #%s could not be queued (%s)",
            alert.pk,
            type(failure).__name__,
        )


def assigned_caseworkers(alert: JourneyAlert) -> list[User]:
    """The case's assigned caseworkers (clear assignment rows: the timer holds no key to check
    their markers, and an e-mail that names nothing tells a wrongly listed user nothing), only
    while they hold the caseworker role in the case's organisation: removing someone from the
    organisation leaves their assignment rows behind, not their alerts."""
    assigned = CaseAssignment.objects.filter(case_id=alert.case_id, role=AssignmentRole.CASEWORKER)
    return list(
        reachable_users()
        .filter(pk__in=assigned.values("user_id"))
        .filter(pk__in=members_in_role(alert.case.organisation_id, Role.CASEWORKER))
        .order_by("pk")
    )


def supervisors_of(alert: JourneyAlert) -> list[User]:
    members = members_in_role(alert.case.organisation_id, Role.SUPERVISOR)
    return list(reachable_users().filter(pk__in=members).order_by("pk"))


def people_to_tell(alert: JourneyAlert, now: datetime.datetime) -> list[User]:
    """Who the alert must reach at its current level, each once."""
    rota = on_call_now(alert.case.organisation, now)
    people: list[User] = []
    if alert.level == 0:
        people += assigned_caseworkers(alert)
    if alert.level < len(rota):
        people.append(rota[alert.level])
    else:
        people += rota[-1:]
        people += supervisors_of(alert)
    unique: dict[int, User] = {}
    for person in people:
        if person.email:
            unique.setdefault(person.pk, person)
    return list(unique.values())


def deliver_alert_notices(alert_id: int, *, now: datetime.datetime | None = None) -> int:
    """Send the e-mails of alert ``alert_id`` at its current level; the number sent. None for
    an alert acknowledged (or gone) since. Marks ``notified_at`` (to the minute) on its first
    round; an escalation marked it already. Raises NoticesNotSent after trying everyone if
    the mail server refused any."""
    now = now or timezone.now()
    alert = (
        JourneyAlert.objects.select_related("case__organisation")
        .filter(pk=alert_id, acknowledged_at__isnull=True)
        .first()
    )
    if alert is None:
        return 0
    sent = failed = 0
    for person in people_to_tell(alert, now):
        try:
            sent += send_mail(
                subject=_("Workspace notice"),
                message=_(
                    "An alert is waiting for you in the workspace.\n\n"
                    "Sign in to see it and acknowledge it."
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[person.email],
            )
        except (smtplib.SMTPException, OSError):
            failed += 1
    if sent:
        JourneyAlert.objects.filter(pk=alert.pk, notified_at__isnull=True).update(
            notified_at=minute_of(now)
        )
    elif not failed:
        logger.error("journey alert #%s has nobody to tell at level %s", alert.pk, alert.level)
    if failed:
        raise NoticesNotSent(f"{failed} e-mail(s) of journey alert #{alert.pk} were not sent")
    return sent
