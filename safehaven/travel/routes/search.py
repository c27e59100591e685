"""The route search: from where a person is, with the papers they hold, the fastest way into
each curated destination that admits them, avoiding countries and regions hostile to them.

Pure: it reads a ``RouteData`` and a ``HostilePlaces`` and touches no database. The rules are
in docs/travel.md ("The planner's rules").
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import replace

from safehaven.countries.queries import HostilePlaces
from safehaven.travel.routes.admission import admission, refusal
from safehaven.travel.routes.data import Crossing, RouteData
from safehaven.travel.routes.index import (
    CONNECTION_HOURS,
    CROSSING_HOURS,
    ENTERED,
    GROUND_HOURS,
    INSIDE,
    KINDS,
    MAX_CROSSINGS,
    MAX_FLIGHTS,
    Node,
    Point,
    Step,
    hostile_airports,
    hostile_offsets,
    index_for,
    road_hours,
)
from safehaven.travel.routes.plan import (
    Entry,
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


class _Search:
    """One traveller's search over the data: admissions are worked out once per country."""

    def __init__(self, traveller: Traveller, hostile: HostilePlaces, data: RouteData) -> None:
        self.traveller = traveller
        self.hostile = hostile
        self.data = data
        self.origin = traveller.origin_country
        self.index = index_for(data)
        self.hostile_airports = hostile_airports(id(data), hostile)
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
        offsets, by_country = hostile_offsets(id(self.data), self.hostile)
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

        Nodes are integers (``Index``): an airport's arrived, departing and entered states are
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
                total = hours + CROSSING_HOURS + road_hours(point, side) + across
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
            reason = refusal(traveller, country, data)
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
