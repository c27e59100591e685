"""The one way a view fetches a saved route: the case through ``access_case`` (404 outside the
viewer's scope, 403 for the wrong role), then the route within that case (404 otherwise)."""

from __future__ import annotations

from django.http import HttpRequest

from safehaven.accounts.access import Perm, get_or_404
from safehaven.cases.access import access_case
from safehaven.travel.models import SavedRoute


def access_saved_route(
    request: HttpRequest, case_id: int, route_id: int, need: Perm = Perm.OPEN_CASES
) -> SavedRoute:
    case = access_case(request, case_id, need=need)
    return get_or_404(
        SavedRoute.objects.filter(case=case).select_related("case__organisation"), route_id
    )
