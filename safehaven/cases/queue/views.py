"""The case queue page and its bulk actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from safehaven.accounts.access import Perm, current_user
from safehaven.cases.access import visible_cases
from safehaven.cases.queue.bulk import BulkOutcome, assign_each, decline_each
from safehaven.cases.queue.forms import BulkAction, BulkActionForm
from safehaven.cases.queue.pages import (
    caseworkers_for,
    filter_cases,
    filter_form,
    queue_context,
)
from safehaven.keys.login_key import unlocked_private_key


@require_http_methods(["GET", "POST"])
def list_cases(request: HttpRequest) -> HttpResponse:
    cases = visible_cases(request, Perm.OPEN_CASES)
    user = current_user(request)
    if request.method != "POST":
        return render(request, "cases/queue.html", queue_context(request, user, cases))
    manage = visible_cases(request, Perm.MANAGE_CASES)  # 403 for a caseworker
    form = BulkActionForm(request.POST, caseworkers=caseworkers_for(user))
    private_key = unlocked_private_key(request)
    if form.is_valid() and private_key is None:
        form.add_error(None, _("Your key is not unlocked in this session. Log in again."))
    if not form.is_valid() or private_key is None:
        context = queue_context(request, user, cases, bulk_form=form)
        return render(request, "cases/queue.html", context)
    data = form.cleaned_data
    # Within the filters the queue was shown with (the form posts to the same query): with a
    # crisis chosen, only that crisis's cases are acted on, whatever else is ticked.
    within = filter_cases(manage, filter_form(user, request.GET))
    if data["action"] == BulkAction.ASSIGN:
        outcome = assign_each(
            manage,
            data["case_ids"],
            caseworker=data["caseworker"],
            actor=user,
            private_key=private_key,
            within=within,
        )
    else:
        outcome = decline_each(
            manage,
            data["case_ids"],
            reason=data["reason"],
            actor=user,
            private_key=private_key,
            within=within,
        )
    _tell(request, outcome, data["action"])
    query = request.GET.urlencode()
    return redirect(reverse("cases-list-cases") + (f"?{query}" if query else ""))


def _tell(request: HttpRequest, outcome: BulkOutcome, action: str) -> None:
    if outcome.done:
        count = len(outcome.done)
        if action == BulkAction.ASSIGN:
            text = ngettext("%(count)d case assigned.", "%(count)d cases assigned.", count)
        else:
            text = ngettext("%(count)d case declined.", "%(count)d cases declined.", count)
        messages.success(request, text % {"count": count})
    for case_id, reason in outcome.failed:
        messages.error(
            request, _("Case #%(number)d: %(reason)s") % {"number": case_id, "reason": reason}
        )
