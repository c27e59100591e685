"""The audit trail of one help request: for triage (who may open it) and administrators (who
read the audit log, without the requester's own events: their key does not open it)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safehaven.accounts.access import Perm, current_user, get_or_404, has_perm
from safehaven.accounts.audit_display import audit_rows
from safehaven.intake.access import access_help_request
from safehaven.intake.models import HelpRequest
from safehaven.intake.trail.actions import do_read_request_trail
from safehaven.keys.login_key import is_duress_session, unlocked_private_key


def access_request_trail(request: HttpRequest, request_id: int) -> HelpRequest:
    """Administrators see the trail of any request (erased ones too); triage, of those it
    may open; nobody in a duress session."""
    user = current_user(request)
    if has_perm(user, Perm.VIEW_AUDIT):
        if is_duress_session(request):
            raise Http404
        return get_or_404(HelpRequest.objects.all(), request_id)
    return access_help_request(request, request_id, need=Perm.TRIAGE_REQUESTS)


@require_GET
def show_request_trail(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_request_trail(request, request_id)
    events, with_requester = do_read_request_trail(
        help_request, actor=current_user(request), private_key=unlocked_private_key(request)
    )
    context = {
        "help_request": help_request,
        "rows": audit_rows(events),
        "with_requester": with_requester,
    }
    return render(request, "intake/request_trail.html", context)
