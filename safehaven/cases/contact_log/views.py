"""The posts of the case page's contact and support log panel: each logs one thing and goes
back to the case page; a refused or invalid post shows its form again with what was typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safehaven.accounts.access import Perm, current_user
from safehaven.cases.access import access_case
from safehaven.cases.contact_log.actions import (
    do_add_case_note,
    do_log_contact_attempt,
    do_log_support_session,
)
from safehaven.cases.contact_log.forms import CaseNoteForm, ContactAttemptForm, SupportSessionForm
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.keys.login_key import unlocked_private_key

Act = Callable[[bytes, Any], object]


def _post(request: HttpRequest, case: Case, form: forms.Form, act: Act, done: str) -> HttpResponse:
    """With a valid form and the viewer's unlocked key, ``act(private_key, form)`` runs the
    action; a refusal goes on the form, shown again on a page of its own."""
    private_key = unlocked_private_key(request)
    if private_key is None:
        form.is_valid()
        form.add_error(None, _("Unlock your keys (log in again) to add to this case."))
    elif form.is_valid():
        try:
            act(private_key, form)
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, done)
            return redirect("cases-show-case", case_id=case.pk)
    context = {"case": case, "form": form, "action": request.path}
    return render(request, "cases/contact_log_form.html", context)


@require_POST
def log_contact_attempt(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id, need=Perm.OPEN_CASES)

    def act(private_key: bytes, form: ContactAttemptForm) -> object:
        data = form.cleaned_data
        return do_log_contact_attempt(
            case,
            channel=data["channel"],
            outcome=data["outcome"],
            next_try_on=data["next_try_on"],
            note=data["note"],
            actor=current_user(request),
            private_key=private_key,
        )

    form = ContactAttemptForm(request.POST)
    return _post(request, case, form, act, _("Contact attempt logged."))


@require_POST
def log_support_session(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id, need=Perm.OPEN_CASES)

    def act(private_key: bytes, form: SupportSessionForm) -> object:
        data = form.cleaned_data
        return do_log_support_session(
            case,
            kind=data["kind"],
            consent=form.consent_kind(),
            held_on=data["held_on"],
            note=data["note"],
            actor=current_user(request),
            private_key=private_key,
        )

    form = SupportSessionForm(request.POST)
    return _post(request, case, form, act, _("Support session logged."))


@require_POST
def add_case_note(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id, need=Perm.OPEN_CASES)

    def act(private_key: bytes, form: CaseNoteForm) -> object:
        return do_add_case_note(
            case,
            body=form.cleaned_data["body"],
            actor=current_user(request),
            private_key=private_key,
        )

    form = CaseNoteForm(request.POST)
    return _post(request, case, form, act, _("Note added."))
