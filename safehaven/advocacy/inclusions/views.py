"""Counting a case in a request and taking it out (from the case page's advocacy panel, by a
holder of the case's key), and counting a crisis's cases at once (the advocacy officer)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from safehaven.accounts.access import Perm, current_user
from safehaven.advocacy.access import access_advocacy_request, access_inclusion
from safehaven.advocacy.inclusions.actions import (
    do_count_crisis_cases,
    do_include_case,
    do_remove_case,
)
from safehaven.advocacy.inclusions.forms import IncludeCaseForm
from safehaven.advocacy.inclusions.panels import requests_to_offer
from safehaven.cases.access import access_case
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.verification.pages import decide_and_go_back, post_or_show_form


@require_http_methods(["GET", "POST"])
def include_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id, need=Perm.OPEN_CASES)
    form = IncludeCaseForm(request.POST or None, requests=requests_to_offer(case))

    def include(private_key: bytes, data: dict[str, Any]) -> str:
        do_include_case(
            case,
            advocacy_request=form.chosen(),
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Case counted in the request.")

    title = _("Count this case in a request to a government")
    return post_or_show_form(request, case, form, title=title, act=include)


@require_POST
def remove_case(request: HttpRequest, case_id: int, inclusion_id: int) -> HttpResponse:
    inclusion = access_inclusion(request, case_id, inclusion_id)

    def remove(private_key: bytes) -> str:
        do_remove_case(inclusion, actor=current_user(request), private_key=private_key)
        return _("Case taken out of the request.")

    return decide_and_go_back(request, inclusion.case, remove)


@require_POST
def count_crisis_cases(request: HttpRequest, advocacy_request_id: int) -> HttpResponse:
    advocacy_request = access_advocacy_request(request, advocacy_request_id)
    try:
        added = do_count_crisis_cases(advocacy_request, actor=current_user(request))
    except CaseActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s more case of the crisis counted.",
                "%(count)s more cases of the crisis counted.",
                len(added),
            )
            % {"count": len(added)},
        )
    return redirect("advocacy-show-request", advocacy_request_id=advocacy_request.pk)
