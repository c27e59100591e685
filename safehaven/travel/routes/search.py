"""The route search: from where a person is, with the papers they hold, the fastest way into
each curated destination that admits them, avoiding countries and regions hostile to them.

Pure: it reads a ``RouteData`` and a ``HostilePlaces`` and touches no database. The rules are
in docs/travel.md ("The planner's rules").
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from safehaven.countries.queries import HostilePlaces
from safehaven.travel.routes.data import EARTH_RADIUS_KM, Crossing, Requirement, RouteData
from safehaven.travel.routes.plan import (
    Entry,
    EntryBasis,
    HostilePlace,
    Leg,
    LegMode,
    Plan,
    Rejection,
    RejectionReason,
    Route,
    Suspension,
    Traveller,
)

GROUND_HOURS = 2.0  # from inside a country to one of its airports, and through security
CONNECTION_HOURS = 2.0  # changing planes
CROSSING_HOURS = 8.0  # a land crossing into a neighbour, border queue included
MAX_FLIGHTS = 4
MAX_CROSSINGS = 2

# Best first: a passport's rule for a country, or a visa the person holds.
ENTRY_RANK = {
    EntryBasis.OWN_COUNTRY: 0,
    EntryBasis.VISA_FREE: 1,
    EntryBasis.VISA_HELD: 2,
    EntryBasis.ETA: 3,
    EntryBasis.E_VISA: 4,
    EntryBasis.VISA_ON_ARRIVAL: 5,
}
ADMITTING = {
    Requirement.OWN_COUNTRY: EntryBasis.OWN_COUNTRY,
    Requirement.VISA_FREE: EntryBasis.VISA_FREE,
    Requirement.ETA: EntryBasis.ETA,
    Requirement.E_VISA: EntryBasis.E_VISA,
    Requirement.VISA_ON_ARRIVAL: EntryBasis.VISA_ON_ARRIVAL,
}

# States: inside a country (at the start, or after a land crossing); at an airport having come
# from the ground; airside at an airport having landed there (the next flight is a change of
# planes); entered the country at the airport one landed at.
INSIDE, DEPARTING, ARRIVED, ENTERED = 0, 1, 2, 3
ROAD_KMH = 50.0  # great-circle distance on the ground, for roads that wind and borders
Node = tuple[int, str]
Point = tuple[float, float]


def admission(traveller: Traveller, country: str, data: RouteData) -> Entry | None:
    """How the person enters ``country``, the best way their papers allow; None when they
    cannot."""
    if country in traveller.citizenships:
        return Entry(country, "", EntryBasis.OWN_COUNTRY)
    best: Entry | None = None
    for passport in traveller.passports:
        rule = data.visa(passport, country)
        basis = ADMITTING.get(rule.requirement) if rule is not None else None
        if rule is None or basis is None:
            continue
        if best is None or ENTRY_RANK[basis] < ENTRY_RANK[best.basis]:
            best = Entry(country, passport, basis, rule.days)
    held = ENTRY_RANK[EntryBasis.VISA_HELD]
    if country in traveller.visas and (best is None or ENTRY_RANK[best.basis] > held):
        best = Entry(country, traveller.passports[0], EntryBasis.VISA_HELD)
    return best


def _road_hours(a: Point | None, b: Point | None) -> float:
    if a is None or b is None:
        return 0.0
    return _km(a, b) / ROAD_KMH


def _km(a: Point, b: Point) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class _Index:
    """Per-process structures over one ``RouteData``: each country's airports with a flight."""

    departures: Mapping[str, tuple[tuple[str, Point], ...]]


_INDEXES: dict[int, tuple[RouteData, _Index]] = {}


def _index(data: RouteData) -> _Index:
    held = _INDEXES.get(id(data))
    if held is not None and held[0] is data:
        return held[1]
    departures: dict[str, list[tuple[str, Point]]] = {}
    for iata in data.flight_legs:
        airport = data.airports[iata]
        departures.setdefault(airport.country, []).append((iata, (airport.lat, airport.lon)))
    index = _Index({c: tuple(sorted(v)) for c, v in departures.items()})
    _INDEXES[id(data)] = (data, index)
    return index


@lru_cache(maxsize=8)
def _hostile_airports(data_id: int, hostile: HostilePlaces) -> Mapping[str, HostilePlace]:
    data = _INDEXES[data_id][0]
    places: dict[str, HostilePlace] = {}
    for iata, airport in data.airports.items():
        if airport.country in hostile.countries:
            places[iata] = HostilePlace(airport.country)
        elif airport.region and airport.region in hostile.regions:
            places[iata] = HostilePlace(airport.country, airport.region)
    return places


class _Search:
    """One traveller's search over the data: admissions are worked out once per country."""

    def __init__(self, traveller: Traveller, hostile: HostilePlaces, data: RouteData) -> None:
        self.traveller = traveller
        self.hostile = hostile
        self.data = data
        self.origin = traveller.origin_country
        self.index = _index(data)
        self.hostile_airports = _hostile_airports(id(data), hostile)
        self._entries: dict[str, Entry | None] = {}

    def entry(self, country: str) -> Entry | None:
        if country not in self._entries:
            self._entries[country] = admission(self.traveller, country, self.data)
        return self._entries[country]

    def hostile_airport(self, iata: str) -> HostilePlace | None:
        place = self.hostile_airports.get(iata)
        if place is None or place.country != self.origin:
            return place
        if place.region and place.region != self.traveller.origin_region:
            return place  # a hostile region of one's own country, not the one left from
        return None

    def hostile_country(self, country: str) -> HostilePlace | None:
        if country != self.origin and country in self.hostile.countries:
            return HostilePlace(country)
        return None

    def start(self) -> tuple[tuple[tuple[str, Point], ...], Point | None]:
        """The airports the person leaves from, and where they are, roughly."""
        ours = self.index.departures.get(self.origin, ())
        region = self.traveller.origin_region
        if region:
            in_region = tuple(a for a in ours if self.data.airports[a[0]].region == region)
            ours = in_region or ours
        if not ours:
            return ours, None
        lat = sum(p[0] for _, p in ours) / len(ours)
        lon = sum(p[1] for _, p in ours) / len(ours)
        return ours, (lat, lon)

    def run(self, targets: set[str], *, safe: bool) -> dict[str, tuple[float, list[Step]]]:
        """Dijkstra from inside the origin country; stops once every target is entered."""
        airports = self.data.airports
        legs = self.data.flight_legs
        land = self.data.land
        departures = self.index.departures
        origin = self.origin
        start_ports, start_point = self.start()
        start: Node = (INSIDE, origin)
        dist: dict[Node, float] = {start: 0.0}
        prev: dict[Node, Step] = {start: Step(start, None, None)}
        where: dict[Node, Point | None] = {start: start_point}
        counts: dict[Node, tuple[int, int]] = {start: (0, 0)}
        done: set[Node] = set()
        found: dict[str, tuple[float, list[Step]]] = {}
        heap: list[tuple[float, Node]] = [(0.0, start)]
        remaining = set(targets)

        def reach(
            node: Node, hours: float, step: Step, n: tuple[int, int], at: Point | None
        ) -> None:
            if node in done or hours >= dist.get(node, math.inf):
                return
            if safe:
                kind, place = node
                if kind == INSIDE:
                    if self.hostile_country(place) is not None:
                        return
                elif self.hostile_airport(place) is not None:
                    return
            dist[node] = hours
            prev[node] = step
            counts[node] = n
            where[node] = at
            heapq.heappush(heap, (hours, node))

        while heap and remaining:
            hours, node = heapq.heappop(heap)
            if node in done:
                continue
            done.add(node)
            kind, place = node
            flights, crossings = counts[node]
            country = place if kind == INSIDE else airports[place].country
            if kind in (INSIDE, ENTERED) and country in remaining:
                remaining.discard(country)
                found[country] = (hours, self._path(node, prev))
            if kind == INSIDE:
                at = where[node]
                ports = start_ports if place == origin else departures.get(place, ())
                for iata, point in ports:
                    extra = 0.0 if place == origin else _road_hours(at, point)
                    reach(
                        (DEPARTING, iata),
                        hours + GROUND_HOURS + extra,
                        Step(node, None, None),
                        (flights, crossings),
                        point,
                    )
            elif kind == ENTERED:
                at = (airports[place].lat, airports[place].lon)
                reach(
                    (DEPARTING, place),
                    hours + GROUND_HOURS,
                    Step(node, None, None),
                    (flights, crossings),
                    at,
                )
            else:
                if flights < MAX_FLIGHTS:
                    extra = CONNECTION_HOURS if kind == ARRIVED else 0.0
                    for to, h in legs.get(place, ()):
                        reach(
                            (ARRIVED, to),
                            hours + h + extra,
                            Step(node, LegMode.AIR, h),
                            (flights + 1, crossings),
                            None,
                        )
                if kind == ARRIVED and country != origin and self.entry(country) is not None:
                    reach(
                        (ENTERED, place), hours, Step(node, None, None), (flights, crossings), None
                    )
                continue
            if crossings >= MAX_CROSSINGS:
                continue
            for crossing in land.get(country, ()):
                to = crossing.to_country
                if to == origin or self.entry(to) is None:
                    continue
                near = _nearest(departures.get(to, ()), at)
                cost = CROSSING_HOURS + _road_hours(at, near)
                reach(
                    (INSIDE, to),
                    hours + cost,
                    Step(node, LegMode.LAND, crossing),
                    (flights, crossings + 1),
                    near or at,
                )
        return found

    @staticmethod
    def _path(node: Node, prev: dict[Node, Step]) -> list[Step]:
        """The steps from the start to ``node``, each with the node it reaches."""
        path: list[Step] = []
        step: Node = node
        while True:
            back = prev[step]
            path.append(Step(step, back.mode, back.how))
            if back.node == step:
                break
            step = back.node
        path.reverse()
        return path

    def route(self, destination: str, hours: float, path: list[Step]) -> Route:
        airports = self.data.airports
        legs: list[Leg] = []
        hostile: list[HostilePlace] = []
        countries: list[str] = []
        before: Node | None = None
        for step in path:
            kind, place = step.node
            country = place if kind == INSIDE else airports[place].country
            if country not in countries:
                countries.append(country)
            spot = self.hostile_country(place) if kind == INSIDE else self.hostile_airport(place)
            if spot is not None and spot not in hostile:
                hostile.append(spot)
            if isinstance(step.how, float) and before is not None:
                legs.append(
                    Leg(
                        LegMode.AIR,
                        before[1],
                        place,
                        airports[before[1]].country,
                        country,
                        round(step.how, 1),
                    )
                )
            elif kind == ENTERED:
                legs[-1] = replace(legs[-1], entry=self.entry(country))
            elif isinstance(step.how, Crossing) and before is not None:
                left = before[1] if before[0] == INSIDE else airports[before[1]].country
                legs.append(
                    Leg(
                        LegMode.LAND,
                        left,
                        place,
                        left,
                        place,
                        CROSSING_HOURS,
                        crossing_status=step.how.status,
                        entry=self.entry(place),
                    )
                )
            before = step.node
        transit = tuple(c for c in countries if c not in (self.origin, destination))
        return Route(destination, tuple(legs), round(hours, 1), transit, tuple(hostile))


@dataclass(frozen=True)
class Step:
    """How a node was reached: from ``node`` (in ``prev``) or to it (in a path), by which
    move (a flight's hours, a land crossing, or None for a ground step or an entry)."""

    node: Node
    mode: LegMode | None
    how: float | Crossing | None


def _nearest(ports: tuple[tuple[str, Point], ...], at: Point | None) -> Point | None:
    """The airport of a country nearest a point: where a crossing into it is assumed to lead."""
    if at is None or not ports:
        return None
    return min((point for _, point in ports), key=lambda point: _km(at, point))


def _refusal(traveller: Traveller, country: str, data: RouteData) -> RejectionReason:
    rules = [data.visa(p, country) for p in traveller.passports]
    if rules and all(r is not None and r.requirement == Requirement.NO_ADMISSION for r in rules):
        return RejectionReason.NO_ADMISSION
    return RejectionReason.VISA_NEEDED


def plan_routes(traveller: Traveller, *, hostile: HostilePlaces, data: RouteData) -> Plan:
    """Ranked routes to the curated destinations, and why the others are not offered."""
    if not traveller.passports:
        return Plan(traveller=traveller, routes=(), no_passport=True)
    search = _Search(traveller, hostile, data)
    origin = traveller.origin_country
    rejections: dict[str, Rejection] = {}
    targets: set[str] = set()
    for destination in data.destinations:
        country = destination.country
        if country in hostile.countries:
            rejections[country] = Rejection(country, RejectionReason.CRIMINALISING_DESTINATION)
        elif country == origin:
            rejections[country] = Rejection(country, RejectionReason.ORIGIN)
        elif search.entry(country) is None:
            reason = _refusal(traveller, country, data)
            rejections[country] = Rejection(country, reason, traveller.passports)
        else:
            targets.add(country)
    found = search.run(targets, safe=True)
    safe = [search.route(d, h, path) for d, (h, path) in found.items()]
    left = targets - set(found)
    flagged: list[Route] = []
    if left:
        more = search.run(left, safe=False)
        flagged = [search.route(d, h, path) for d, (h, path) in more.items()]
    routes = sorted(safe, key=_rank) + sorted(flagged, key=_rank)
    routes.sort(key=lambda r: (r.flagged, r.hours, r.destination))
    offered = {r.destination for r in routes}
    for country in sorted(targets - offered):
        rejections[country] = Rejection(country, RejectionReason.NO_CONNECTION)
    curated = {d.country for d in data.destinations} - hostile.countries - {origin}
    suspensions = tuple(
        Suspension(s.from_country, s.to_country, s.since, s.source)
        for pair, s in sorted(data.suspensions.items())
        if pair[0] == origin and pair[1] in curated
    )
    order = {d.country: i for i, d in enumerate(data.destinations)}
    return Plan(
        traveller=traveller,
        routes=tuple(routes),
        rejections=tuple(sorted(rejections.values(), key=lambda r: order[r.destination])),
        suspensions=suspensions,
    )


def _rank(route: Route) -> tuple[float, str]:
    return (route.hours, route.destination)
