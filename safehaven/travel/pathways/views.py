"""The pathways panel's forms post here and come back to the case page; the staff catalogue
page lists every pathway with its sheet in each public language."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehaven.accounts.access import Perm, current_user, get_or_404, require_perm
from safehaven.cases.access import access_case
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.verification.pages import decide_and_go_back, post_or_show_form
from safehaven.travel.models import CasePathway, PathwayStep
from safehaven.travel.pathways.actions import (
    do_end_pathway,
    do_record_pathway_step,
    do_send_pathway_sheet,
    do_start_pathway,
)
from safehaven.travel.pathways.forms import (
    EndPathwayForm,
    RecordStepForm,
    SendSheetForm,
    StartPathwayForm,
)
from safehaven.travel.pathways.pages import catalogue_context


@require_http_methods(["GET", "POST"])
def start_pathway(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id)
    form = StartPathwayForm(request.POST or None, case=case, initial={"owner": request.user})

    def start(private_key: bytes, data: dict[str, Any]) -> str:
        do_start_pathway(
            case,
            kind=data["kind"],
            owner=data["owner"],
            notes=data["notes"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Pathway started.")

    return post_or_show_form(request, case, form, title=_("Start a pathway"), act=start)


@require_http_methods(["GET", "POST"])
def record_pathway_step(request: HttpRequest, case_id: int, step_id: int) -> HttpResponse:
    case = access_case(request, case_id)
    step = get_or_404(PathwayStep.objects.filter(pathway__case=case), step_id)
    initial = {"outcome": step.outcome, "due_on": step.due_on, "owner": step.owner_id}
    form = RecordStepForm(request.POST or None, case=case, initial=initial)

    def record(private_key: bytes, data: dict[str, Any]) -> str:
        do_record_pathway_step(
            step,
            outcome=data["outcome"],
            done_on=data["done_on"],
            due_on=data["due_on"],
            owner=data["owner"],
            note=data["note"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Step recorded.")

    return post_or_show_form(request, case, form, title=_("Record a step"), act=record)


@require_http_methods(["GET", "POST"])
def end_pathway(request: HttpRequest, case_id: int, pathway_id: int) -> HttpResponse:
    case = access_case(request, case_id)
    row = get_or_404(CasePathway.objects.filter(case=case), pathway_id)
    form = EndPathwayForm(request.POST or None)

    def end(private_key: bytes, data: dict[str, Any]) -> str:
        do_end_pathway(
            row,
            state=data["state"],
            reason=data["reason"],
            actor=current_user(request),
            private_key=private_key,
        )
        return _("Pathway ended.")

    return post_or_show_form(request, case, form, title=_("End a pathway"), act=end)


@require_POST
def send_pathway_sheet(request: HttpRequest, case_id: int, pathway_id: int) -> HttpResponse:
    case = access_case(request, case_id)
    row = get_or_404(CasePathway.objects.filter(case=case), pathway_id)

    form = SendSheetForm(request.POST, case=case)

    def send(private_key: bytes) -> str:
        if not form.is_valid():
            raise CaseActionRefused(_("Choose who receives the sheet."))
        sent = do_send_pathway_sheet(
            row,
            people=form.cleaned_data["people"],
            actor=current_user(request),
            private_key=private_key,
        )
        return ngettext(
            "Information sheet sent to %(count)d person's status page.",
            "Information sheet sent to %(count)d people's status pages.",
            sent,
        ) % {"count": sent}

    return decide_and_go_back(request, case, send)


@require_GET
def show_pathway_catalogue(request: HttpRequest) -> HttpResponse:
    require_perm(request, Perm.OPEN_CASES)
    return render(request, "travel/pathway_catalogue.html", catalogue_context())
