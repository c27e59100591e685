"""A saved route's sealed JSON: what is saved opens as the same route."""

import pytest

from safehaven.travel.routes.data import DataDates
from safehaven.travel.saved_routes.sealing import SealedRoute, route_from_json, route_to_json
from safehaven.travel.tests.saved_route_helpers import FLAGGED, SAFE, TRAVELLER


@pytest.mark.parametrize("route", [SAFE, FLAGGED])
def test_it_round_trips_a_route_with_its_inputs_and_dates(route):
    sealed = SealedRoute(route, TRAVELLER, DataDates(), withdrawn_reason="No longer.")
    again = route_from_json(route_to_json(sealed))
    assert again == sealed
    assert again.route.key == route.key
    assert again.route.flagged == route.flagged


def test_it_refuses_text_that_is_not_a_saved_route():
    with pytest.raises(ValueError, match="not a saved route"):
        route_from_json('{"v": 1, "route": {}}')
    with pytest.raises(ValueError, match="unknown saved route version"):
        route_from_json('{"v": 2}')
