"""The case page and the move form posted from it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safehaven.accounts.access import Perm, current_user
from safehaven.cases.access import access_case
from safehaven.cases.case_page.pages import post_on_case_page, render_case_page
from safehaven.cases.workflow.actions import do_move_case
from safehaven.cases.workflow.forms import MoveCaseForm


@require_GET
def show_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id, need=Perm.OPEN_CASES)
    return render_case_page(request, case)


@require_POST
def move_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id, need=Perm.OPEN_CASES)
    form = MoveCaseForm(request.POST, case=case)

    def move(private_key: bytes, data: dict[str, Any]) -> str:
        do_move_case(
            case,
            to_state=data["to_state"],
            reason=data["reason"],
            outcome=data["outcome"] or None,
            tell_the_person=data["tell_the_person"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("The case has moved.")

    return post_on_case_page(request, case, form, form_name="move_form", act=move)
