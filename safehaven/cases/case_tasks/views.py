"""Adding a task to a case and marking it done, posted from the case page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safehaven.accounts.access import Perm, current_user, get_or_404
from safehaven.cases.access import access_case
from safehaven.cases.case_page.pages import post_on_case_page
from safehaven.cases.case_tasks.actions import do_add_case_task, do_complete_case_task
from safehaven.cases.case_tasks.forms import AddCaseTaskForm
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import CaseTask
from safehaven.keys.login_key import unlocked_private_key


@require_POST
def add_case_task(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id, need=Perm.OPEN_CASES)
    form = AddCaseTaskForm(request.POST, case=case)

    def add(private_key: bytes, data: dict[str, Any]) -> str:
        do_add_case_task(
            case,
            title=data["title"],
            due_on=data["due_on"],
            assignee=data["assignee"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Task added.")

    return post_on_case_page(request, case, form, form_name="task_form", act=add)


@require_POST
def complete_case_task(request: HttpRequest, case_id: int, task_id: int) -> HttpResponse:
    case = access_case(request, case_id, need=Perm.OPEN_CASES)
    task = get_or_404(
        CaseTask.objects.filter(case=case).select_related("case__organisation"), task_id
    )
    private_key = unlocked_private_key(request)
    try:
        if private_key is None:
            raise CaseActionRefused(
                _("Your key is not unlocked in this session. Log out and log in again.")
            )
        do_complete_case_task(task, actor=current_user(request), private_key=private_key)
    except CaseActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Task done."))
    return redirect("cases-show-case", case_id=case.pk)
