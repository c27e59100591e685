"""The planner's page: the question on GET, the answer on POST (places never in a URL)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from safehaven.accounts.access import Perm
from safehaven.cases.access import access_case
from safehaven.travel.planner.forms import PlannerForm
from safehaven.travel.planner.pages import (
    PLANNING_STATES,
    planned_page,
    planner_page,
    refused_page,
)


@require_http_methods(["GET", "POST"])
def plan_routes(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id, need=Perm.OPEN_CASES)
    if case.state not in PLANNING_STATES:
        return refused_page(request, case)
    if request.method == "POST":
        return planned_page(request, case, PlannerForm(request.POST))
    return planner_page(request, case)
