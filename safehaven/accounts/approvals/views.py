"""The approvals page: a second administrator approves or refuses, in their own session."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safehaven.accounts.access import Perm, require_perm
from safehaven.accounts.actions import ActionRefused
from safehaven.accounts.approvals.access import access_approval
from safehaven.accounts.approvals.actions import do_approve_change, do_refuse_change
from safehaven.accounts.models import AdminApproval, ApprovalState
from safehaven.accounts.views_admin import decoy_under_duress, sensitive
from safehaven.keys.login_key import is_duress_session


@require_GET
@decoy_under_duress
def list_approvals(request: HttpRequest) -> HttpResponse:
    actor = require_perm(request, Perm.MANAGE_STAFF)
    pending = AdminApproval.objects.filter(
        state=ApprovalState.PENDING, expires_at__gt=timezone.now()
    ).select_related("subject", "requested_by", "organisation", "team")
    if is_duress_session(request):
        pending = pending.none()
    return render(request, "accounts/approvals.html", {"approvals": pending, "actor": actor})


@require_POST
@decoy_under_duress
@sensitive
def approve_change(request: HttpRequest, approval_id: int) -> HttpResponse:
    return _decide(request, approval_id, do_approve_change, _("Approved and done."))


@require_POST
@decoy_under_duress
@sensitive
def refuse_change(request: HttpRequest, approval_id: int) -> HttpResponse:
    return _decide(request, approval_id, do_refuse_change, _("Refused. Nothing was changed."))


def _decide(
    request: HttpRequest,
    approval_id: int,
    decide: Callable[..., None],
    done: str,
) -> HttpResponse:
    approval = access_approval(request, approval_id)
    try:
        decide(approval=approval, actor=require_perm(request, Perm.MANAGE_STAFF))
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done)
    return redirect("accounts-list-approvals")
