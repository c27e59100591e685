"""A case's messages: each request's thread, read and answered with the thread keys alone."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safehaven.accounts.access import Perm, current_user
from safehaven.cases.access import access_case
from safehaven.cases.case_messages.actions import do_answer_in_case
from safehaven.cases.case_messages.forms import CaseAnswerForm
from safehaven.cases.case_messages.pages import render_case_messages
from safehaven.intake.handling.actions import RequestActionRefused
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.login_key import unlocked_private_key


@require_http_methods(["GET", "POST"])
def show_case_messages(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id, need=Perm.READ_CASE_MESSAGES)
    if request.method != "POST":
        return render_case_messages(request, case)
    form = CaseAnswerForm(request.POST)
    private_key = unlocked_private_key(request)
    if form.is_valid() and private_key is not None:
        try:
            do_answer_in_case(
                case,
                request_id=form.cleaned_data["request"],
                actor=current_user(request),
                private_key=private_key,
                text=form.cleaned_data["body"],
            )
        except RecordUnavailable:
            form.add_error(None, _("Your key cannot open this thread, so you cannot answer."))
        except RequestActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Your answer is in the person's thread."))
            return redirect("cases-show-case-messages", case_id=case.pk)
    elif form.is_valid():
        form.add_error(None, _("Your keys are locked: log out and in again to answer."))
    return render_case_messages(request, case, answer_form=form)
