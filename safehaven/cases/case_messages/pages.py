"""Building the case's messages page: the reader's key, the threads it opens, the forms."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safehaven.accounts.access import Perm, current_user, has_perm
from safehaven.cases.case_messages.actions import do_read_case_messages
from safehaven.cases.case_messages.forms import CaseAnswerForm
from safehaven.cases.models import Case
from safehaven.keys.login_key import unlocked_private_key


def render_case_messages(
    request: HttpRequest,
    case: Case,
    *,
    answer_form: CaseAnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page; ``answer_form``: a refused answer, shown again under its request's thread."""
    user = current_user(request)
    context: dict[str, object] = {
        "case": case,
        "threads": None,
        "answer_form": answer_form,
        "can_open_case": has_perm(user, Perm.OPEN_CASES),
    }
    private_key = unlocked_private_key(request)
    if private_key is not None:
        context["threads"] = do_read_case_messages(
            case, actor=user, private_key=private_key, with_notices=has_perm(user, Perm.OPEN_CASES)
        )
    return render(request, "cases/case_messages.html", context, status=status)
