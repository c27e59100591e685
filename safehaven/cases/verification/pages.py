"""How the verification views answer: a form's post handled in one way (refusals shown with
what was typed kept), and a button's post sent back to the case page with its message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.keys.login_key import unlocked_private_key


def back_to_case(case: Case) -> HttpResponse:
    return redirect("cases-show-case", case_id=case.pk)


def post_or_show_form(
    request: HttpRequest,
    case: Case,
    form: forms.Form,
    *,
    title: str,
    act: Callable[[bytes, dict[str, Any]], str],
) -> HttpResponse:
    """Run ``act`` on a valid post and go back to the case page with its message; otherwise
    (a first visit, bad input, a refusal) show the form alone, with what was typed kept.
    An evidence file is never kept: a browser cannot be given a file back."""
    if request.method == "POST" and form.is_valid():
        private_key = unlocked_private_key(request)
        if private_key is None:
            form.add_error(
                None,
                _("Your key is not unlocked in this session. Log out and log in again."),
            )
        else:
            try:
                done = act(private_key, form.cleaned_data)
            except CaseActionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, done)
                return back_to_case(case)
    context = {"case": case, "form": form, "title": title}
    return render(request, "cases/verification_form.html", context)


def decide_and_go_back(request: HttpRequest, case: Case, act: Callable[[bytes], str]) -> Any:
    """Run a post from a button of the panel; its message, or its refusal, on the case page."""
    private_key = unlocked_private_key(request)
    if private_key is None:
        messages.error(request, _("Your key is not unlocked in this session. Log in again."))
        return back_to_case(case)
    try:
        messages.success(request, act(private_key))
    except CaseActionRefused as refusal:
        messages.error(request, str(refusal))
    return back_to_case(case)
