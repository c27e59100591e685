"""Give a case to a member of staff, and take it back: both post from the case page's
keyholders panel (case managers only) and go back to it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safehaven.accounts.access import Perm, current_user, get_or_404
from safehaven.cases.access import access_case
from safehaven.cases.assignment.actions import do_assign_case, do_unassign_case
from safehaven.cases.assignment.forms import AssignCaseForm
from safehaven.cases.choices import AssignmentRole
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import CaseAssignment
from safehaven.keys.login_key import unlocked_private_key


def _back(case_id: int) -> HttpResponse:
    return redirect("cases-show-case", case_id=case_id)


@require_POST
def assign_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id, need=Perm.MANAGE_CASES)
    form = AssignCaseForm(request.POST, case=case)
    private_key = unlocked_private_key(request)
    if private_key is None:
        messages.error(request, _("Your key is not unlocked in this session."))
    elif not form.is_valid():
        messages.error(
            request, _("Choose a member of staff who can be given the case, and a role.")
        )
    else:
        try:
            do_assign_case(
                case,
                user=form.cleaned_data["user"],
                role=AssignmentRole(form.cleaned_data["role"]),
                actor=current_user(request),
                private_key=private_key,
            )
        except CaseActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("The case is given to them."))
    return _back(case.pk)


@require_POST
def unassign_case(request: HttpRequest, case_id: int, assignment_id: int) -> HttpResponse:
    case = access_case(request, case_id, need=Perm.MANAGE_CASES)
    assignment = get_or_404(CaseAssignment.objects.filter(case=case), assignment_id)
    try:
        do_unassign_case(
            case,
            user=assignment.user,
            role=AssignmentRole(assignment.role),
            actor=current_user(request),
        )
    except CaseActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The case is taken back from them."))
    return _back(case.pk)
