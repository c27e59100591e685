"""The staff page that makes a one-time status code for a request without a codename (a
partner's referral): GET explains, POST makes the code and shows it on that response only.
The code is never stored nor shown again; the page is never cached."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safehaven.accounts.access import current_user
from safehaven.cases.status_codes.access import access_request_for_status_code
from safehaven.intake.models import HelpRequest
from safehaven.intake.status_codes.actions import (
    StatusCodeRefused,
    do_issue_status_code,
    has_own_codename,
)
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.login_key import unlocked_private_key


@require_http_methods(["GET", "POST"])
def issue_status_code(request: HttpRequest, request_id: int) -> HttpResponse:
    help_request = access_request_for_status_code(request, request_id)
    context: dict[str, object] = {
        "help_request": help_request,
        "has_own_codename": has_own_codename(help_request),
        "code_pending": help_request.status_code_expires_at is not None,
        "words": None,
        "refusal": None,
    }
    if request.method == "POST":
        context |= _issue(request, help_request)
    response = render(request, "cases/status_code_issue.html", context)
    response["Cache-Control"] = "no-store, max-age=0"
    return response


def _issue(request: HttpRequest, help_request: HelpRequest) -> dict[str, object]:
    private_key = unlocked_private_key(request)
    if private_key is None:
        return {
            "refusal": _(
                "Your key is not unlocked in this session: log out and log in again with your "
                "password to make a code."
            )
        }
    try:
        code = do_issue_status_code(
            help_request,
            actor=current_user(request),
            private_key=private_key,
        )
    except StatusCodeRefused as refusal:
        return {"refusal": refusal.message}
    except RecordUnavailable:
        return {
            "refusal": _(
                "Your key cannot open this request and its messages, so you cannot make a code "
                "for it."
            )
        }
    return {"words": code.split(), "code_pending": True}
