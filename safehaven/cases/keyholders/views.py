"""Grant a case again to an assigned user who lost their keys, and re-key a case: both post
from the case page's keyholders panel and go back to it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safehaven.accounts.access import Perm, current_user, get_or_404
from safehaven.accounts.models import User
from safehaven.cases.access import access_case
from safehaven.cases.assignment.actions import do_regrant_case
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.keyholders.panels import may_see_keyholders
from safehaven.cases.rekeying.actions import do_rekey_case
from safehaven.keys.login_key import unlocked_private_key


def _no_key(request: HttpRequest) -> None:
    messages.error(
        request,
        _("Your key is not unlocked in this session. Log out and log in again with your password."),
    )


def _back(case_id: int) -> HttpResponse:
    return redirect("cases-show-case", case_id=case_id)


@require_POST
def regrant_case(request: HttpRequest, case_id: int, user_id: int) -> HttpResponse:
    case = access_case(request, case_id)
    if not may_see_keyholders(current_user(request), case):
        raise Http404
    assignee = get_or_404(User.objects.filter(case_assignments__case=case).distinct(), user_id)
    private_key = unlocked_private_key(request)
    if private_key is None:
        _no_key(request)
        return _back(case.pk)
    try:
        do_regrant_case(case, user=assignee, actor=current_user(request), private_key=private_key)
    except CaseActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The case is granted to them again."))
    return _back(case.pk)


@require_POST
def rekey_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id, need=Perm.MANAGE_CASES)
    private_key = unlocked_private_key(request)
    if private_key is None:
        _no_key(request)
        return _back(case.pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the re-keying."))
        return _back(case.pk)
    try:
        do_rekey_case(case, actor=current_user(request), private_key=private_key)
    except CaseActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The case has new keys; the old ones are shredded."))
    return _back(case.pk)
