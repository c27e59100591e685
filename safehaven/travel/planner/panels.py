"""The case page's link to the planner, for those who may plan (a verified case that has not
left yet)."""

from __future__ import annotations

from django.http import HttpRequest

from safehaven.accounts.access import Perm, has_perm
from safehaven.accounts.models import User
from safehaven.cases.models import Case
from safehaven.travel.planner.pages import PLANNING_STATES


def planner_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    user = request.user
    if not isinstance(user, User) or not has_perm(user, Perm.OPEN_CASES):
        return None
    if case.state not in PLANNING_STATES:
        return None
    return {"case": case}
