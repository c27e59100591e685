"""The staff view that adds an internal note to a request (shown on the request's page)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safehaven.accounts.access import Perm, current_user
from safehaven.intake.access import access_help_request
from safehaven.intake.notes.actions import do_add_internal_note
from safehaven.intake.notes.forms import InternalNoteForm
from safehaven.intake.triage.actions import RequestActionRefused
from safehaven.intake.triage.pages import render_request_page
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.login_key import unlocked_private_key


@require_POST
def add_internal_note(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_help_request(request, request_id, need=Perm.TRIAGE_REQUESTS)
    form = InternalNoteForm(request.POST)
    private_key = unlocked_private_key(request)
    if form.is_valid() and private_key is not None:
        try:
            do_add_internal_note(
                help_request,
                actor=current_user(request),
                private_key=private_key,
                text=form.cleaned_data["note"],
            )
        except RequestActionRefused as refusal:
            form.add_error(None, str(refusal))
        except RecordUnavailable:
            pass  # The page says so (it cannot open the request) and offers no form.
        else:
            messages.success(request, _("Note added. Only the triage team reads it."))
            return redirect("intake-show-request", request_id=help_request.pk)
    return render_request_page(request, help_request, note_form=form)
