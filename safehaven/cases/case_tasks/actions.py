"""Add a task to a case, and mark it done. The title is sealed in the case's casework; the due
date, the assignee and when it was done stay in clear, so a caseworker's own page lists what is
due without opening anything."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.access import Perm, has_perm
from safehaven.accounts.models import Membership, User
from safehaven.cases.choices import AssignmentRole
from safehaven.cases.compartments import open_casework
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CaseAssignment, CaseTask
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.keys.exceptions import SealedValueUnavailable


def may_hold_tasks(case: Case, user: User) -> bool:
    """A task goes to the case's caseworker, or to someone who manages the organisation's
    cases."""
    if CaseAssignment.objects.filter(case=case, user=user, role=AssignmentRole.CASEWORKER).exists():
        return True
    in_organisation = Membership.objects.filter(user=user, organisation=case.organisation).exists()
    return in_organisation and user.is_active and has_perm(user, Perm.MANAGE_CASES)


def do_add_case_task(
    case: Case,
    *,
    title: str,
    due_on: datetime.date,
    assignee: User | None,
    actor: User,
    private_key: bytes,
) -> CaseTask:
    """Add a task to ``case``, its title sealed in the casework. Raises CaseActionRefused."""
    if case.is_closed:
        raise CaseActionRefused(_("This case is closed."))
    if not title.strip():
        raise CaseActionRefused(_("Say what is to be done."))
    if due_on < timezone.localdate():
        raise CaseActionRefused(_("The due date is in the past."))
    if assignee is not None and not may_hold_tasks(case, assignee):
        raise CaseActionRefused(
            _("A task can go only to the case's caseworker or to someone who manages cases.")
        )
    opened = open_casework(case, actor=actor, private_key=private_key)
    with transaction.atomic():
        task = CaseTask(
            record_id=opened.record_id,
            case=case,
            due_on=due_on,
            assignee=assignee,
            created_by=actor,
        )
        task.open_with(opened).seal("title", title.strip())
        task.save()
        record_event(
            EventType.CASE_TASK_ADDED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"task {task.item_id}",
        )
    return task


def do_complete_case_task(task: CaseTask, *, actor: User, private_key: bytes) -> None:
    """Mark a task done (the hour only), with the actor's key opening the case's casework: the
    title is opened and sealed again with the hour bound in, so a task marked done (or undone)
    in the database no longer opens. Raises CaseActionRefused if it is done already, if the
    actor's key does not open casework, or if the task does not match its seal."""
    case = task.case
    opened = open_casework(case, actor=actor, private_key=private_key)
    with transaction.atomic():
        locked = CaseTask.objects.select_for_update().filter(pk=task.pk, case=case).first()
        if locked is None or locked.done_at is not None:
            raise CaseActionRefused(_("This task is done already."))
        try:
            title = locked.open_with(opened).sealed("title")
        except (SealError, SealedValueUnavailable):
            raise CaseActionRefused(
                _("This task does not match its seal: tell your administrators.")
            ) from None
        locked.done_at = this_hour()
        locked.seal("title", title)
        locked.save(update_fields=["done_at", "title"])
        task.done_at, task.title = locked.done_at, locked.title
        record_event(
            EventType.CASE_TASK_DONE,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"task {task.item_id}",
        )
