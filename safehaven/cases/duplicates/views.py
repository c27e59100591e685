"""Possible duplicates, for triage and supervisors (``MANAGE_CASES``), on their own
organisation's cases: the list of candidates, two cases side by side, and the two decisions
(different people, or one person: merge).

Each case of a pair comes through ``cases.access.access_case`` (403 for another role, 404 for a
case outside the user's organisations and for everything in a duress session); a pair of one
case with itself, or of two organisations' cases, is 404 too. A decision needs the actor's key
to open both cases, as the comparison page shows them (``comparison.key_opens_both``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safehaven.accounts.access import Perm, current_user, has_perm, require_perm
from safehaven.accounts.models import User
from safehaven.cases.access import access_case
from safehaven.cases.duplicates.actions import do_mark_cases_distinct
from safehaven.cases.duplicates.comparison import compare_cases as open_both
from safehaven.cases.duplicates.comparison import key_opens_both
from safehaven.cases.duplicates.forms import MarkDistinctForm, MergeCasesForm
from safehaven.cases.duplicates.queries import (
    Candidates,
    duplicate_candidates,
    managed_organisation_ids,
)
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.merging.actions import do_merge_cases
from safehaven.cases.models import Case
from safehaven.keys.login_key import is_duress_session, unlocked_private_key

PAGE_SIZE = 50
# Requests waiting outside a case: the strongest few; triage opens each from its page.
REQUESTS_SHOWN = 50


@require_GET
def list_duplicates(request: HttpRequest) -> HttpResponse:
    user = require_perm(request, Perm.MANAGE_CASES)
    if is_duress_session(request):
        found = Candidates([], [])
    else:
        found = duplicate_candidates(
            managed_organisation_ids(user),
            with_requests=has_perm(user, Perm.TRIAGE_REQUESTS),
        )
    context = {
        "page": Paginator(found.cases, PAGE_SIZE).get_page(request.GET.get("page")),
        "requests": found.requests[:REQUESTS_SHOWN],
        "more_requests": max(0, len(found.requests) - REQUESTS_SHOWN),
    }
    return render(request, "cases/duplicates_list.html", context)


def access_case_pair(request: HttpRequest, case_id: int, other_id: int) -> tuple[Case, Case]:
    """Both cases of a pair through ``access_case`` (MANAGE_CASES), or 404 for a pair that
    is none (one case twice, two organisations' cases)."""
    case = access_case(request, case_id, need=Perm.MANAGE_CASES)
    other = access_case(request, other_id, need=Perm.MANAGE_CASES)
    if case.pk == other.pk or case.organisation_id != other.organisation_id:
        raise Http404
    return case, other


@require_GET
def compare_cases(request: HttpRequest, case_id: int, other_id: int) -> HttpResponse:
    case, other = access_case_pair(request, case_id, other_id)
    comparison = open_both(
        case, other, user=current_user(request), private_key=unlocked_private_key(request)
    )
    decidable = comparison.both_opened and not (case.merged_into_id or other.merged_into_id)
    context = {
        "case": case,
        "other": other,
        "comparison": comparison,
        "key_unlocked": unlocked_private_key(request) is not None,
        "decidable": decidable,
        "distinct_form": MarkDistinctForm() if not comparison.marked_distinct else None,
        "merge_form": (
            None if case.is_closed or other.is_closed else MergeCasesForm(case=case, other=other)
        ),
    }
    return render(request, "cases/duplicates_compare.html", context)


Act = Callable[[User, bytes, dict[str, Any]], tuple[str, HttpResponse]]


def _decide(request: HttpRequest, case: Case, other: Case, form: forms.Form, act: Act) -> Any:
    """A decision's post: refusals as messages on the comparison page; done, ``act``'s
    message and page."""
    back = redirect("cases-compare-cases", case_id=case.pk, other_id=other.pk)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return back
    private_key = unlocked_private_key(request)
    if private_key is None:
        messages.error(request, _("Your key is not unlocked in this session. Log in again."))
        return back
    user = current_user(request)
    if not key_opens_both(case, other, user=user, private_key=private_key):
        messages.error(
            request,
            _("Your key does not open both cases: only someone who can open both may decide."),
        )
        return back
    try:
        done, page = act(user, private_key, form.cleaned_data)
    except CaseActionRefused as refusal:
        messages.error(request, str(refusal))
        return back
    messages.success(request, done)
    return page


@require_POST
def mark_cases_distinct(request: HttpRequest, case_id: int, other_id: int) -> HttpResponse:
    case, other = access_case_pair(request, case_id, other_id)

    def mark(user: User, _key: bytes, _data: dict[str, Any]) -> tuple[str, HttpResponse]:
        do_mark_cases_distinct(case, other, actor=user)
        done = _("Cases #%(first)s and #%(second)s are marked as different people.") % {
            "first": case.pk,
            "second": other.pk,
        }
        return done, redirect("cases-list-duplicates")

    return _decide(request, case, other, MarkDistinctForm(request.POST), mark)


@require_POST
def merge_cases(request: HttpRequest, case_id: int, other_id: int) -> HttpResponse:
    case, other = access_case_pair(request, case_id, other_id)

    def merge(user: User, key: bytes, data: dict[str, Any]) -> tuple[str, HttpResponse]:
        kept, absorbed = (case, other) if data["kept"] == case.pk else (other, case)
        merged = do_merge_cases(kept, absorbed, actor=user, private_key=key)
        done = _("Case #%(absorbed)s is merged into case #%(kept)s.") % {
            "absorbed": absorbed.pk,
            "kept": merged.pk,
        }
        return done, redirect("cases-show-case", case_id=merged.pk)

    return _decide(
        request, case, other, MergeCasesForm(request.POST, case=case, other=other), merge
    )
