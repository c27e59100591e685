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
# planes); entered the country at the airport one landed at. A node is one of these + a place;
# the same letter in lower case is the same state on a route that has touched a hostile place
# (the search runs over both layers at once: touching a hostile place moves a route to the
# lower-case layer, and nothing moves it back).
INSIDE, DEPARTING, ARRIVED, ENTERED = "I", "D", "A", "E"
KINDS = {k: (k.upper(), k.islower()) for k in "IDAEidae"}  # letter -> (state, touched hostile)
ROAD_KMH = 50.0  # great-circle distance on the ground, for roads that wind and borders
Node = str
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
    return math.sqrt(_flat_km2(a, b)) / ROAD_KMH


def _flat_km2(a: Point, b: Point) -> float:
    """Squared distance on a flat map (equirectangular): close enough for roads."""
    x = math.radians((b[1] - a[1] + 180) % 360 - 180) * math.cos(math.radians((a[0] + b[0]) / 2))
    y = math.radians(b[0] - a[0])
    return (x * x + y * y) * EARTH_RADIUS_KM * EARTH_RADIUS_KM


class _Index:
    """Per-process structures over one ``RouteData``: each country's airports with a flight,
    and, filled as searches ask, where a land crossing between two countries is assumed to be
    (the closest pair of their airports)."""

    def __init__(self, data: RouteData) -> None:
        departures: dict[str, list[tuple[str, Point]]] = {}
        for iata in data.flight_legs:
            airport = data.airports[iata]
            departures.setdefault(airport.country, []).append((iata, (airport.lat, airport.lon)))
        self.departures = {c: tuple(sorted(v)) for c, v in departures.items()}
        self.out = {
            a: tuple((b, h, ARRIVED + b, ARRIVED.lower() + b) for b, h in tos)
            for a, tos in data.flight_legs.items()
        }
        self._borders: dict[tuple[str, str], tuple[Point | None, Point | None]] = {}
        self._roads: dict[tuple[str, Point | None], tuple[tuple[str, float], ...]] = {}

    def roads(self, country: str, point: Point | None) -> tuple[tuple[str, float], ...]:
        """A country's airports with the hours by road to each from a point where a land
        crossing led (one of a few per country, so kept)."""
        key = (country, point)
        if key not in self._roads:
            self._roads[key] = tuple(
                (iata, _road_hours(point, there))
                for iata, there in self.departures.get(country, ())
            )
        return self._roads[key]

    def borders(self, here: str, there: str) -> tuple[Point | None, Point | None]:
        key = (here, there)
        if key not in self._borders:
            ours = [p for _, p in self.departures.get(here, ())]
            theirs = [p for _, p in self.departures.get(there, ())]
            if ours and theirs:
                self._borders[key] = min(
                    ((a, b) for a in ours for b in theirs), key=lambda pair: _flat_km2(*pair)
                )
            else:
                self._borders[key] = (ours[0] if ours else None, theirs[0] if theirs else None)
        return self._borders[key]


_INDEXES: dict[int, tuple[RouteData, _Index]] = {}


def _index(data: RouteData) -> _Index:
    held = _INDEXES.get(id(data))
    if held is not None and held[0] is data:
        return held[1]
    index = _Index(data)
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
        countries = {country for _, country in data.visas} | set(self.index.departures)
        countries |= set(data.land)
        self.admitted = frozenset(
            c for c in countries if c != self.origin and self.entry(c) is not None
        )

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

    def start(self) -> tuple[tuple[tuple[str, float], ...], Point | None]:
        """The airports the person leaves from, and where they are, roughly."""
        ours = self.index.departures.get(self.origin, ())
        region = self.traveller.origin_region
        if region:
            in_region = tuple(a for a in ours if self.data.airports[a[0]].region == region)
            ours = in_region or ours
        if not ours:
            return (), None
        lat = sum(p[0] for _, p in ours) / len(ours)
        lon = sum(p[1] for _, p in ours) / len(ours)
        return tuple((iata, 0.0) for iata, _ in ours), (lat, lon)

    def blocked(self) -> tuple[frozenset[str], frozenset[str]]:
        """The airports and countries that make a route flagged, for this traveller."""
        airports = frozenset(a for a in self.hostile_airports if self.hostile_airport(a))
        countries = self.hostile.countries - {self.origin}
        return airports, frozenset(countries)

    def run(
        self, targets: set[str]
    ) -> tuple[dict[str, tuple[float, list[Step]]], dict[str, tuple[float, list[Step]]]]:
        """One Dijkstra from inside the origin country over (place, touched a hostile place):
        the fastest way into each target that touches no hostile place, and the fastest that
        does. Stops once every target is entered both ways (or nothing is left to reach)."""
        airports = self.data.airports
        land = self.data.land
        index = self.index
        out = index.out
        origin = self.origin
        admitted = self.admitted
        hostile_ports, hostile_countries = self.blocked()
        start_ports, start_point = self.start()
        start = INSIDE + origin
        dist: dict[str, float] = {start: 0.0}
        prev: dict[str, tuple[str, float | Crossing | None]] = {start: (start, None)}
        where: dict[str, tuple[Point | None, bool]] = {start: (start_point, False)}
        counts: dict[str, tuple[int, int]] = {start: (0, 0)}
        done: set[str] = set()
        found: tuple[dict[str, tuple[float, list[Step]]], ...] = ({}, {})
        heap: list[tuple[float, str]] = [(0.0, start)]
        push = heapq.heappush
        pop = heapq.heappop
        remaining = (set(targets), set(targets))  # safe, flagged
        inf = math.inf
        while heap and (remaining[0] or remaining[1]):
            hours, node = pop(heap)
            if node in done:
                continue
            done.add(node)
            kind, touched = KINDS[node[0]]
            place = node[1:]
            flights, crossings = counts[node]
            # Reached safely sooner: a flagged route goes no further from here than into the
            # country (were it to go on, the safe way here would be the better start).
            detour = touched and kind + place in done
            if kind in (ARRIVED, DEPARTING):
                if flights < MAX_FLIGHTS and not detour:
                    then = hours + (CONNECTION_HOURS if kind == ARRIVED else 0.0)
                    n = (flights + 1, crossings)
                    for to, h, clean, marked in out.get(place, ()):
                        nxt = marked if touched or to in hostile_ports else clean
                        total = then + h
                        if total < dist.get(nxt, inf):
                            dist[nxt] = total
                            prev[nxt] = (node, h)
                            counts[nxt] = n
                            push(heap, (total, nxt))
                if kind == ARRIVED:
                    nxt = (ENTERED.lower() if touched else ENTERED) + place
                    country = airports[place].country
                    if (
                        country in admitted
                        and (not detour or country in remaining[1])
                        and hours < dist.get(nxt, inf)
                    ):
                        dist[nxt] = hours
                        prev[nxt] = (node, None)
                        counts[nxt] = (flights, crossings)
                        push(heap, (hours, nxt))
                continue
            left = remaining[touched]
            if kind == ENTERED:
                airport = airports[place]
                country = airport.country
                if country in left:
                    left.discard(country)
                    found[touched][country] = (hours, self._path(node, prev))
                if detour:
                    continue
                here = (airport.lat, airport.lon)
                departing, inside = (DEPARTING, INSIDE) if not touched else ("d", "i")
                for nxt, total, at in (
                    (departing + place, hours + GROUND_HOURS, (here, False)),
                    (inside + country, hours, (here, False)),
                ):
                    if total < dist.get(nxt, inf):
                        dist[nxt] = total
                        prev[nxt] = (node, None)
                        counts[nxt] = (flights, crossings)
                        where[nxt] = at
                        push(heap, (total, nxt))
                continue
            country = place
            point, by_land = where[node]
            if country in left:
                left.discard(country)
                found[touched][country] = (hours, self._path(node, prev))
            if detour:
                continue
            if country == origin:
                ports: tuple[tuple[str, float], ...] = start_ports
            elif by_land:
                ports = index.roads(country, point)
            else:
                ports = ()  # entered at an airport: it is the one to fly on from
            for iata, road in ports:
                nxt = (DEPARTING.lower() if touched or iata in hostile_ports else DEPARTING) + iata
                total = hours + GROUND_HOURS + road
                if total < dist.get(nxt, inf):
                    dist[nxt] = total
                    prev[nxt] = (node, None)
                    counts[nxt] = (flights, crossings)
                    push(heap, (total, nxt))
            if crossings >= MAX_CROSSINGS:
                continue
            for crossing in land.get(country, ()):
                to = crossing.to_country
                if to not in admitted:
                    continue
                nxt = (INSIDE.lower() if touched or to in hostile_countries else INSIDE) + to
                if nxt in done:
                    continue
                side, there = index.borders(country, to)
                total = hours + CROSSING_HOURS + _road_hours(point, side) + _road_hours(side, there)
                if total < dist.get(nxt, inf):
                    dist[nxt] = total
                    prev[nxt] = (node, crossing)
                    counts[nxt] = (flights, crossings + 1)
                    where[nxt] = (there or point, True)
                    push(heap, (total, nxt))
        return found[0], found[1]

    @staticmethod
    def _path(node: Node, prev: dict[Node, tuple[Node, float | Crossing | None]]) -> list[Step]:
        """The steps from the start to ``node``, each with the node it reaches and how."""
        path: list[Step] = []
        while True:
            back, how = prev[node]
            path.append(Step(node, how))
            if back == node:
                break
            node = back
        path.reverse()
        return path

    def route(self, destination: str, hours: float, path: list[Step]) -> Route:
        airports = self.data.airports
        legs: list[Leg] = []
        hostile: list[HostilePlace] = []
        countries: list[str] = []
        before: Node | None = None
        for step in path:
            kind, place = KINDS[step.node[0]][0], step.node[1:]
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
                        before[1:],
                        place,
                        airports[before[1:]].country,
                        country,
                        round(step.how, 1),
                    )
                )
            elif kind == ENTERED:
                legs[-1] = replace(legs[-1], entry=self.entry(country))
            elif isinstance(step.how, Crossing) and before is not None:
                left = before[1:] if KINDS[before[0]][0] == INSIDE else airports[before[1:]].country
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
    """A node of a route and how it was reached: a flight's hours, a land crossing, or None
    for a ground step or an entry."""

    node: Node
    how: float | Crossing | None


def _refusal(traveller: Traveller, country: str, data: RouteData) -> RejectionReason:
    rules = [data.visa(p, country) for p in traveller.passports]
    if rules and all(r is not None and r.requirement == Requirement.NO_ADMISSION for r in rules):
        return RejectionReason.NO_ADMISSION
    return RejectionReason.VISA_NEEDED


def _revisits(route: Route) -> bool:
    """Whether a route passes the same airport, or enters the same country by land, twice: the
    fastest flagged way can be a safe route with a detour made only to touch a hostile place,
    which is never worth offering."""
    places = [route.legs[0].from_place] if route.legs else []
    for leg in route.legs:
        if leg.from_place != places[-1]:
            places.append(leg.from_place)
        places.append(leg.to_place)
    return len(places) != len(set(places))


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
    clean, touched = search.run(targets)
    safe = [search.route(d, h, path) for d, (h, path) in clean.items()]
    flagged = [search.route(d, h, path) for d, (h, path) in touched.items()]
    flagged = [r for r in flagged if r.flagged and not _revisits(r)]
    routes = sorted(safe + flagged, key=lambda r: (r.flagged, r.hours, r.destination))
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
