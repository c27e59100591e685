"""The route planner as the pages call it: today's hostile places from ``countries``, the
shipped route data, and the pure search."""

from __future__ import annotations

import datetime

from safehaven.countries.queries import hostile_places_on
from safehaven.travel.routes.data import route_data
from safehaven.travel.routes.plan import Plan, Traveller
from safehaven.travel.routes.search import plan_routes


def plan_for(traveller: Traveller, *, on: datetime.date | None = None) -> Plan:
    """The plan for a person on ``on`` (today by default): one query, then the search."""
    return plan_routes(traveller, hostile=hostile_places_on(on), data=route_data())
