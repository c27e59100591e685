"""A caseworker's own page: the cases assigned to them, their open tasks by due date (overdue
marked), the contact tries due, and their cases with new activity from a person. Only what is
in clear: nothing is opened here, so nothing is audited as a read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safehaven.accounts.access import Perm, require_perm
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.contact_log.queries import contact_tries_due
from safehaven.cases.models import Case, CaseTask
from safehaven.cases.my_work.sections import render_my_work_sections
from safehaven.keys.login_key import is_duress_session

# A page of work, not an archive: the oldest tasks and cases beyond these wait on the queue.
SHOWN = 200


@require_GET
def show_my_work(request: HttpRequest) -> HttpResponse:
    user = require_perm(request, Perm.OPEN_CASES)
    mine = Case.objects.filter(
        assignments__user=user, assignments__role=AssignmentRole.CASEWORKER
    ).exclude(state=CaseState.CLOSED)
    today = timezone.localdate()
    tries = contact_tries_due(user, today)
    if is_duress_session(request):
        mine = Case.objects.none()
        tries = tries.none()
    tasks = (
        CaseTask.objects.filter(assignee=user, done_at__isnull=True, case__in=mine)
        .select_related("case")
        .order_by("due_on", "pk")
    )
    unread = mine.filter(people__help_request__unread_since__isnull=False).distinct()
    context = {
        "cases": mine.order_by("-risk_score", "pk")[:SHOWN],
        "tasks": tasks[:SHOWN],
        "today": today,
        "tries": tries[:SHOWN],
        "unread": unread.order_by("-risk_score", "pk")[:SHOWN],
        # Higher apps' sections (travel's reminders): clear columns only, of these cases only.
        "sections": render_my_work_sections(request, user, mine, today),
    }
    return render(request, "cases/my_work.html", context)
