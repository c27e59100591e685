"""The retention page: the organisation's rules, its recent runs, a dry run and a real run,
for administrators. Setting a rule and a real run ask for the password and the second factor
again first (``accounts.reauth``): a post that comes too late is dropped, never replayed, and
the page asks for both before it shows itself again. A coerced administrator (a duress
session) is told each change was made and nothing changes (SECURITY.md T4); their dry run
lists nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.tasks.exceptions import InvalidTask
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safehaven.accounts.actions import ActionRefused
from safehaven.accounts.models import Organisation
from safehaven.accounts.reauth import reauthentication_redirect
from safehaven.keys.login_key import is_duress_session
from safehaven.reports.goals.access import reporting_organisation
from safehaven.reports.retention.actions import do_apply_retention, do_set_retention_rule
from safehaven.reports.retention.forms import RetentionRuleForm, RunRetentionForm
from safehaven.reports.retention.queries import RetentionPlan, plan_retention
from safehaven.reports.retention.summary import retention_page_context


def _page(request: HttpRequest, organisation: Organisation, **extra: Any) -> HttpResponse:
    context = retention_page_context(organisation)
    context.setdefault("rule_form", RetentionRuleForm())
    context.setdefault("run_form", RunRetentionForm())
    context.update(extra)
    return render(request, "reports/retention.html", context)


# On the page's address: re-check the factors that are not fresh before showing it (allauth
# comes back to the address after each), so a dropped change is made again from a page where
# both are fresh.
CHECK_AGAIN = "reauthenticate"


def _asked_again(request: HttpRequest) -> HttpResponseRedirect | None:
    """None when both factors were re-checked within the timeout; otherwise the post is
    dropped and allauth asks for the missing one, coming back to the page."""
    back_to = f"{reverse('reports-show-retention')}?{CHECK_AGAIN}=1"
    again = reauthentication_redirect(request, back_to=back_to)
    if again is not None:
        messages.info(request, _("Confirm who you are again, then do it again."))
    return again


@require_GET
def show_retention(request: HttpRequest) -> HttpResponse:
    _actor, organisation = reporting_organisation(request)
    if CHECK_AGAIN in request.GET:
        again = reauthentication_redirect(request, back_to=request.get_full_path())
        if again is not None:
            return again
    return _page(request, organisation)


@require_POST
def set_retention_rule(request: HttpRequest) -> HttpResponse:
    actor, organisation = reporting_organisation(request)
    again = _asked_again(request)
    if again is not None:
        return again
    form = RetentionRuleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if not is_duress_session(request):
                do_set_retention_rule(organisation, data["target"], data["after_days"], actor=actor)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Retention rule saved."))
            return redirect("reports-show-retention")
    return _page(request, organisation, rule_form=form)


@require_POST
def dry_run_retention(request: HttpRequest) -> HttpResponse:
    actor, organisation = reporting_organisation(request)
    if is_duress_session(request):
        plan = RetentionPlan()
    else:
        plan = plan_retention()
        do_apply_retention(dry_run=True, actor=actor, plan=plan)
    # Only this organisation's cases are listed; requests belong to every relocating one.
    own_cases = [item for item in plan.cases if item.organisation_id == organisation.pk]
    return _page(
        request,
        organisation,
        dry_run=True,
        due_items=[*own_cases, *plan.requests],
        due_cases=len(own_cases),
        other_cases=len(plan.cases) - len(own_cases),
        due_requests=len(plan.requests),
        inconsistent=plan.inconsistent,
    )


@require_POST
def run_retention(request: HttpRequest) -> HttpResponse:
    actor, organisation = reporting_organisation(request)
    again = _asked_again(request)
    if again is not None:
        return again
    form = RunRetentionForm(request.POST)
    if not form.is_valid():
        return _page(request, organisation, run_form=form)
    if not is_duress_session(request):
        from safehaven.reports.tasks import apply_retention_task

        try:
            apply_retention_task.enqueue(started_by_id=actor.pk)
        except (InvalidTask, DatabaseError):
            # No queue to put it in: run it here (it may take a while).
            do_apply_retention(dry_run=False, actor=actor)
    messages.success(request, _("Retention started: the list of runs shows when it is done."))
    return redirect("reports-show-retention")
