"""The page that opens a case after a phone call."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safehaven.accounts.access import Perm, require_perm
from safehaven.cases.call_intake.forms import CallIntakeForm
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.opening.actions import do_open_case_from_call
from safehaven.keys.login_key import is_duress_session


@require_http_methods(["GET", "POST"])
def open_case_from_call(request: HttpRequest) -> HttpResponse:
    user = require_perm(request, Perm.MANAGE_CASES)
    form = CallIntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if is_duress_session(request):
            # Looks accepted and keeps nothing: a coerced session must not write a case.
            messages.success(request, _("Case opened."))
            return redirect("cases-list-cases")
        try:
            case = do_open_case_from_call(
                form.to_details(), reason=form.cleaned_data["reason"], actor=user
            )
        except CaseActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Case #%(number)d opened.") % {"number": case.pk})
            return redirect("cases-list-cases")
    return render(request, "cases/call_intake.html", {"form": form})
