"""The route search: from where a person is, with the papers they hold, the fastest way into
each curated destination that admits them, avoiding countries and regions hostile to them.

Pure: it reads a ``RouteData`` and a ``HostilePlaces`` and touches no database. The rules are
in docs/travel.md ("The planner's rules").
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
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
# lower-case layer, and nothing moves it back). The search itself numbers these nodes (``_Index``);
# the names are what a route's steps carry.
INSIDE, DEPARTING, ARRIVED, ENTERED = "I", "D", "A", "E"
KINDS = {k: (k.upper(), k.islower()) for k in "IDAEidae"}  # letter -> (state, touched hostile)
KINDS_SAFE = ARRIVED + DEPARTING + ENTERED + INSIDE  # in the order of their letters
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
        # The countries whose admission a search works out (the others are never entered).
        self.admissible = frozenset({country for _, country in data.visas} | set(self.departures))
        self.admissible |= frozenset(data.land)
        self._borders: dict[tuple[str, str], tuple[Point | None, Point | None, float]] = {}
        self._roads: dict[tuple[str, Point | None], tuple[tuple[int, float], ...]] = {}
        # Integer node ids, numbered in the order of the string names (``"A" + iata`` ...
        # ``"i" + country``) so the heap breaks ties exactly as it would on the names: arrived,
        # departing and entered at each airport, inside each country; the same again, ``layer``
        # further on, for the states of a route that has touched a hostile place.
        self.ports = sorted(data.airports)
        self.port_id = {iata: i for i, iata in enumerate(self.ports)}
        named = set(data.airports_by_country) | set(data.land) | set(departures)
        named |= {c.to_country for crossings in data.land.values() for c in crossings}
        named |= {country for _, country in data.visas}
        named |= {airport.country for airport in data.airports.values()}
        self.countries = sorted(named)
        self.country_id = {c: i for i, c in enumerate(self.countries)}
        n = len(self.ports)
        self.n_ports = n
        self.inside = 3 * n  # the first id of an inside-a-country state
        self.layer = 3 * n + len(self.countries)
        self.names = [
            kind + place
            for kinds in (KINDS_SAFE, KINDS_SAFE.lower())
            for kind in kinds
            for place in (self.countries if kind in "Ii" else self.ports)
        ]
        self.port_country = tuple(data.airports[iata].country for iata in self.ports)
        self.port_country_id = tuple(self.country_id[c] for c in self.port_country)
        self.port_point = tuple(
            (data.airports[iata].lat, data.airports[iata].lon) for iata in self.ports
        )
        # Each airport's flights as (arrived-state id of the other end, hours).
        self.flights = tuple(
            tuple((self.port_id[b], h) for b, h in data.flight_legs.get(iata, ()))
            for iata in self.ports
        )
        self.crossings = tuple(
            tuple(
                (self.country_id[c.to_country], c.to_country, c) for c in data.land.get(country, ())
            )
            for country in self.countries
        )

    def road_ids(self, country: str, point: Point | None) -> tuple[tuple[int, float], ...]:
        """A country's airports (their departing-state ids) with the hours by road to each from
        a point where a land crossing led (one of a few per country, so kept)."""
        key = (country, point)
        if key not in self._roads:
            self._roads[key] = tuple(
                (self.n_ports + self.port_id[iata], _road_hours(point, there))
                for iata, there in self.departures.get(country, ())
            )
        return self._roads[key]

    def borders(self, here: str, there: str) -> tuple[Point | None, Point | None, float]:
        """Where a land crossing from ``here`` into ``there`` is assumed to be (a point on each
        side), and the hours by road between the two."""
        key = (here, there)
        if key not in self._borders:
            ours = [p for _, p in self.departures.get(here, ())]
            theirs = [p for _, p in self.departures.get(there, ())]
            side: Point | None
            far: Point | None
            if ours and theirs:
                side, far = min(
                    ((a, b) for a in ours for b in theirs), key=lambda pair: _flat_km2(*pair)
                )
            else:
                side, far = (ours[0] if ours else None, theirs[0] if theirs else None)
            self._borders[key] = (side, far, _road_hours(side, far))
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


@lru_cache(maxsize=8)
def _hostile_offsets(
    data_id: int, hostile: HostilePlaces
) -> tuple[tuple[int, ...], Mapping[str, tuple[str, ...]]]:
    """For each airport id, ``layer`` when arriving there touches a hostile place, else 0; and
    each country's hostile airports (a traveller's own may not count: ``_Search.blocked``)."""
    index = _INDEXES[data_id][1]
    places = _hostile_airports(data_id, hostile)
    by_country: dict[str, list[str]] = {}
    for iata, place in places.items():
        by_country.setdefault(place.country, []).append(iata)
    offsets = tuple(index.layer if iata in places else 0 for iata in index.ports)
    return offsets, {country: tuple(ports) for country, ports in by_country.items()}


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
        self.admitted = frozenset(
            c for c in self.index.admissible if c != self.origin and self.entry(c) is not None
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

    def blocked(self) -> tuple[Sequence[int], frozenset[str]]:
        """For each airport id, what arriving there adds to a node id (``layer`` when it makes
        a route flagged, for this traveller, else 0); the countries that make a route flagged."""
        index = self.index
        offsets: Sequence[int]
        offsets, by_country = _hostile_offsets(id(self.data), self.hostile)
        own = [
            index.port_id[iata]
            for iata in by_country.get(self.origin, ())
            if not self.hostile_airport(iata)
        ]
        if own:
            mine = list(offsets)
            for port in own:
                mine[port] = 0
            offsets = mine
        countries = self.hostile.countries - {self.origin}
        return offsets, frozenset(countries)

    def run(
        self, targets: set[str]
    ) -> tuple[dict[str, tuple[float, list[Step]]], dict[str, tuple[float, list[Step]]]]:
        """One Dijkstra from inside the origin country over (place, touched a hostile place):
        the fastest way into each target that touches no hostile place, and the fastest that
        does. Stops once every target is entered both ways (or nothing is left to reach).

        Nodes are integers (``_Index``): an airport's arrived, departing and entered states are
        ``p``, ``p + n`` and ``p + 2n`` for its id ``p``; inside a country ``3n + c``; a route
        that has touched a hostile place adds ``layer``."""
        index = self.index
        found: tuple[dict[str, tuple[float, list[Step]]], ...] = ({}, {})
        origin_id = index.country_id.get(self.origin)
        if origin_id is None:
            return found[0], found[1]  # no airport, no border: nowhere to go
        flights_out = index.flights
        crossings_out = index.crossings
        port_country = index.port_country
        port_country_id = index.port_country_id
        port_point = index.port_point
        country_names = index.countries
        n = index.n_ports
        departed = 2 * n  # from an entered state back to the departing one: minus n
        inside = index.inside
        layer = index.layer
        admitted = self.admitted
        offsets, hostile_countries = self.blocked()
        start_ports, start_point = self.start()
        start_ids = tuple((n + index.port_id[iata], road) for iata, road in start_ports)
        start = inside + origin_id
        inf = math.inf
        dist = [inf] * (2 * layer)
        dist[start] = 0.0
        prev: dict[int, tuple[int, float | Crossing | None]] = {start: (start, None)}
        where: dict[int, tuple[Point | None, bool]] = {start: (start_point, False)}
        counts: dict[int, tuple[int, int]] = {start: (0, 0)}
        done = bytearray(2 * layer)
        heap: list[tuple[float, int]] = [(0.0, start)]
        push = heapq.heappush
        pop = heapq.heappop
        remaining = (set(targets), set(targets))  # safe, flagged
        while heap and (remaining[0] or remaining[1]):
            hours, node = pop(heap)
            if done[node]:
                continue
            done[node] = 1
            touched = node >= layer
            base = node - layer if touched else node
            flights, crossings = counts[node]
            # Reached safely sooner: a flagged route goes no further from here than into the
            # country (were it to go on, the safe way here would be the better start). The safe
            # twin's ids are all lower and every move into it takes time or comes from a safe
            # state, so "settled" is "its hours are no more than these" (it may never have been
            # pushed: see the departing state below).
            detour = touched and dist[base] <= hours
            if base < departed:
                arrived = base < n
                port = base if arrived else base - n
                if flights < MAX_FLIGHTS and not detour:
                    then = hours + CONNECTION_HOURS if arrived else hours
                    c = (flights + 1, crossings)
                    # After the last flight allowed, landing in a country the person may not
                    # enter leads nowhere: recorded, not pushed.
                    last = flights + 1 >= MAX_FLIGHTS
                    if touched:
                        for to, h in flights_out[port]:
                            total = then + h
                            nxt = to + layer
                            if total < dist[nxt]:
                                dist[nxt] = total
                                prev[nxt] = (node, h)
                                counts[nxt] = c
                                if not last or port_country[to] in admitted:
                                    push(heap, (total, nxt))
                    else:
                        for to, h in flights_out[port]:
                            total = then + h
                            nxt = to + offsets[to]
                            if total < dist[nxt]:
                                dist[nxt] = total
                                prev[nxt] = (node, h)
                                counts[nxt] = c
                                if not last or port_country[to] in admitted:
                                    push(heap, (total, nxt))
                if arrived:
                    nxt = node + departed  # entered, in the same layer
                    country = port_country[port]
                    if (
                        country in admitted
                        and (not detour or country in remaining[1])
                        and hours < dist[nxt]
                    ):
                        dist[nxt] = hours
                        prev[nxt] = (node, None)
                        counts[nxt] = (flights, crossings)
                        # Entering matters when the country is still sought this way or the
                        # person is inside it sooner than before; else recorded, not pushed.
                        if (
                            country in remaining[touched]
                            or hours < dist[node - base + inside + port_country_id[port]]
                        ):
                            push(heap, (hours, nxt))
                continue
            left = remaining[touched]
            if base < inside:  # entered the country at an airport
                port = base - departed
                country = port_country[port]
                if country in left:
                    left.discard(country)
                    found[touched][country] = (hours, self._path(node, prev))
                if detour:
                    continue
                at = (port_point[port], False)
                # Departing again from the airport one entered at: its hours are recorded (they
                # bar slower ways there and settle a flagged twin) but it is not pushed: its
                # flights leave at the same hours as the ones its arrived state already tried
                # (a connection and a walk back through security both take 2 h), so none of
                # them could improve anything.
                nxt = node - n
                total = hours + GROUND_HOURS
                if total < dist[nxt]:
                    dist[nxt] = total
                    prev[nxt] = (node, None)
                    counts[nxt] = (flights, crossings)
                    where[nxt] = at
                nxt = node - base + inside + index.country_id[country]
                if hours < dist[nxt]:
                    dist[nxt] = hours
                    prev[nxt] = (node, None)
                    counts[nxt] = (flights, crossings)
                    where[nxt] = at
                    push(heap, (hours, nxt))
                continue
            country_id = base - inside
            country = country_names[country_id]
            point, by_land = where[node]
            if country in left:
                left.discard(country)
                found[touched][country] = (hours, self._path(node, prev))
            if detour:
                continue
            if country_id == origin_id:
                ports: tuple[tuple[int, float], ...] = start_ids
            elif by_land:
                ports = index.road_ids(country, point)
            else:
                ports = ()  # entered at an airport: it is the one to fly on from
            for port, road in ports:
                nxt = port + (layer if touched else offsets[port - n])
                total = hours + GROUND_HOURS + road
                if total < dist[nxt]:
                    dist[nxt] = total
                    prev[nxt] = (node, None)
                    counts[nxt] = (flights, crossings)
                    push(heap, (total, nxt))
            if crossings >= MAX_CROSSINGS:
                continue
            for to_id, to_country, crossing in crossings_out[country_id]:
                if to_country not in admitted:
                    continue
                nxt = inside + to_id
                if touched or to_country in hostile_countries:
                    nxt += layer
                if done[nxt]:
                    continue
                side, there, across = index.borders(country, to_country)
                total = hours + CROSSING_HOURS + _road_hours(point, side) + across
                if total < dist[nxt]:
                    dist[nxt] = total
                    prev[nxt] = (node, crossing)
                    counts[nxt] = (flights, crossings + 1)
                    where[nxt] = (there or point, True)
                    push(heap, (total, nxt))
        return found[0], found[1]

    def _path(self, node: int, prev: dict[int, tuple[int, float | Crossing | None]]) -> list[Step]:
        """The steps from the start to ``node``, each with the node it reaches and how."""
        names = self.index.names
        path: list[Step] = []
        while True:
            back, how = prev[node]
            path.append(Step(names[node], how))
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
