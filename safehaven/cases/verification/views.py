"""The verification views: the forms of the case page's verification panel post here, and
come back to the case page. Deciding on an approval needs a supervisor's own session,
re-authenticated a moment ago (like the administrators' approvals)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.decorators import reauthentication_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehaven.accounts.access import Perm, current_user, get_or_404, require_perm
from safehaven.cases.access import access_case
from safehaven.cases.evidence.actions import do_add_evidence, do_copy_person_photo, do_open_evidence
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import VerificationApproval
from safehaven.cases.verification.actions import (
    do_approve_verification,
    do_record_verification_item,
    do_refuse_verification,
    do_request_verification,
)
from safehaven.cases.verification.forms import DecisionForm, EvidenceForm, VerificationItemForm
from safehaven.cases.verification.pages import decide_and_go_back, post_or_show_form
from safehaven.core.uploads.served import served_file_response
from safehaven.keys.login_key import unlocked_private_key


@require_http_methods(["GET", "POST"])
def record_verification_item(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id)

    def record(private_key: bytes, data: dict[str, Any]) -> str:
        do_record_verification_item(
            case,
            item=data["item"],
            status=data["status"],
            method=data["method"] or None,
            partner=data["partner"],
            note=data["note"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Check recorded.")

    form = VerificationItemForm(request.POST or None)
    return post_or_show_form(request, case, form, title=_("Record a check"), act=record)


@require_http_methods(["GET", "POST"])
def add_evidence(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id)

    def add(private_key: bytes, data: dict[str, Any]) -> str:
        do_add_evidence(
            case,
            file=data["file"],
            description=data["description"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Evidence file added, without its hidden data, and sealed.")

    form = EvidenceForm(request.POST or None, request.FILES or None)
    return post_or_show_form(request, case, form, title=_("Add an evidence file"), act=add)


@require_GET
def download_evidence(request: HttpRequest, case_id: int, item_id: uuid.UUID) -> HttpResponse:
    case = access_case(request, case_id)
    private_key = unlocked_private_key(request)
    if private_key is None:
        raise PermissionDenied
    try:
        opened = do_open_evidence(
            case, item_id, actor=current_user(request), private_key=private_key
        )
    except CaseActionRefused:
        raise PermissionDenied from None
    return served_file_response(opened.content, opened.content_type, opened.filename)


@require_POST
def copy_person_photo(request: HttpRequest, case_id: int, item_id: uuid.UUID) -> HttpResponse:
    case = access_case(request, case_id)

    def copy(private_key: bytes) -> str:
        do_copy_person_photo(
            case, attachment_item_id=item_id, actor=current_user(request), private_key=private_key
        )
        return _("The person's photo was copied into the case's evidence.")

    return decide_and_go_back(request, case, copy)


@require_POST
def request_verification(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id)

    def ask(private_key: bytes) -> str:
        do_request_verification(case, actor=current_user(request), private_key=private_key)
        return _("Approval asked for. A supervisor other than you must approve it.")

    return decide_and_go_back(request, case, ask)


def supervisors_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """403 for anyone who may not decide, before asking them for their password again."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_perm(request, Perm.APPROVE_VERIFICATION)
        return view(request, *args, **kwargs)

    return guarded


@require_POST
@supervisors_only
@reauthentication_required
def approve_verification(request: HttpRequest, case_id: int, approval_id: int) -> HttpResponse:
    return _decide(request, case_id, approval_id, do_approve_verification, _("Case verified."))


@require_POST
@supervisors_only
@reauthentication_required
def refuse_verification(request: HttpRequest, case_id: int, approval_id: int) -> HttpResponse:
    done = _("Approval refused. The case stays in verification.")
    return _decide(request, case_id, approval_id, do_refuse_verification, done)


def _decide(
    request: HttpRequest,
    case_id: int,
    approval_id: int,
    decide: Callable[..., object],
    done: str,
) -> HttpResponse:
    case = access_case(request, case_id, need=Perm.APPROVE_VERIFICATION)
    approval = get_or_404(VerificationApproval.objects.filter(case=case), approval_id)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""

    def act(private_key: bytes) -> str:
        if not form.is_valid():
            raise CaseActionRefused(" ".join(str(error) for error in form.errors.get("note", [])))
        decide(approval, actor=current_user(request), private_key=private_key, note=note)
        return done

    return decide_and_go_back(request, case, act)
