"""The case page's saved-routes panel: the routes opened with the viewer's own travel key.
Nothing for a viewer without ``OPEN_CASES`` (interpreters, partners) or in a duress session."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from safehaven.accounts.access import Perm, has_perm
from safehaven.accounts.models import User
from safehaven.cases.choices import CompartmentKind
from safehaven.cases.models import Case
from safehaven.keys.login_key import is_duress_session, unlocked_private_key
from safehaven.travel.choices import RouteStatus
from safehaven.travel.compartment import open_travel
from safehaven.travel.planner.pages import PLANNING_STATES
from safehaven.travel.saved_routes.actions import may_override
from safehaven.travel.saved_routes.forms import RouteReasonForm
from safehaven.travel.saved_routes.pages import RouteView, route_views
from safehaven.travel.saved_routes.queries import OpenedRoute, open_saved_routes


@dataclass(frozen=True)
class PanelRoute:
    opened: OpenedRoute
    view: RouteView | None  # None: damaged, nothing of it shown
    override_form: RouteReasonForm | None  # a supervisor's, for a route waiting for one
    withdraw_form: RouteReasonForm | None  # None once withdrawn


def _panel_route(case: Case, user: User, opened: OpenedRoute, view: RouteView | None) -> PanelRoute:
    """A route with its own forms (their fields' ids differ from route to route); none for a
    damaged route. The override form only for whoever ``may_override`` it."""
    status, pk = opened.row.status, opened.row.pk
    overridable = (
        view is not None
        and status == RouteStatus.NEEDS_OVERRIDE
        and case.state in PLANNING_STATES  # the override refuses any other (closed too)
        and may_override(case, opened.row, user)
    )
    withdrawable = view is not None and status != RouteStatus.WITHDRAWN and not case.is_closed
    return PanelRoute(
        opened,
        view,
        RouteReasonForm(auto_id=f"route-{pk}-override-%s") if overridable else None,
        RouteReasonForm(auto_id=f"route-{pk}-withdraw-%s") if withdrawable else None,
    )


def saved_routes_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    user = request.user
    if not isinstance(user, User) or is_duress_session(request):
        return None
    if not has_perm(user, Perm.OPEN_CASES):
        return None
    context: dict[str, object] = {
        "case": case,
        "can_plan": case.state in PLANNING_STATES,  # the planner refuses any other
        "locked": False,
        "no_key": False,
        "routes": [],
    }
    private_key = unlocked_private_key(request)
    if private_key is None:
        return {**context, "locked": True}
    if case.compartment_record_id(CompartmentKind.TRAVEL) is None:
        return context  # nothing saved yet
    opened = open_travel(case, actor=user, private_key=private_key)
    if opened is None:
        return {**context, "no_key": True}
    routes = route_views(open_saved_routes(case, opened))
    return {**context, "routes": [_panel_route(case, user, *pair) for pair in routes]}
