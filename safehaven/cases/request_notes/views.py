"""The staff view that adds an internal note to a request (shown on the request's page)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safehaven.accounts.access import Perm, current_user
from safehaven.cases.request_notes.forms import InternalNoteForm
from safehaven.cases.triage.pages import post_on_request_page
from safehaven.intake.access import access_help_request
from safehaven.intake.notes.actions import do_add_internal_note


@require_POST
def add_internal_note(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_help_request(request, request_id, need=Perm.TRIAGE_REQUESTS)

    def add(private_key: bytes, data: dict[str, Any]) -> str:
        do_add_internal_note(
            help_request, actor=current_user(request), private_key=private_key, text=data["note"]
        )
        return _("Note added. Only the triage team reads it.")

    form = InternalNoteForm(request.POST)
    return post_on_request_page(request, help_request, form, form_name="note_form", act=add)
