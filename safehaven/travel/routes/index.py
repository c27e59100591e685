"""The route search's once-per-process structures over one ``RouteData``: its allowances, node
states and a route's ``Step``, road and flat distances, the ``Index`` (airports, countries and
flights as integer ids, land crossings) and, per set of hostile places, which airports are
hostile.

Pure: it reads a ``RouteData`` and a ``HostilePlaces`` and touches no database. The search is
in ``search.py``; the rules are in docs/travel.md ("The planner's rules").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from safehaven.countries.queries import HostilePlaces
from safehaven.travel.routes.data import EARTH_RADIUS_KM, Crossing, RouteData
from safehaven.travel.routes.plan import HostilePlace

GROUND_HOURS = 2.0  # from inside a country to one of its airports, and through security
CONNECTION_HOURS = 2.0  # changing planes
CROSSING_HOURS = 8.0  # a land crossing into a neighbour, border queue included
MAX_FLIGHTS = 4
MAX_CROSSINGS = 2

# States: inside a country (at the start, or after a land crossing); at an airport having come
# from the ground; airside at an airport having landed there (the next flight is a change of
# planes); entered the country at the airport one landed at. A node is one of these + a place;
# the same letter in lower case is the same state on a route that has touched a hostile place
# (the search runs over both layers at once: touching a hostile place moves a route to the
# lower-case layer, and nothing moves it back). The search itself numbers these nodes (``Index``);
# the names are what a route's steps carry.
INSIDE, DEPARTING, ARRIVED, ENTERED = "I", "D", "A", "E"
KINDS = {k: (k.upper(), k.islower()) for k in "IDAEidae"}  # letter -> (state, touched hostile)
KINDS_SAFE = ARRIVED + DEPARTING + ENTERED + INSIDE  # in the order of their letters
ROAD_KMH = 50.0  # great-circle distance on the ground, for roads that wind and borders
Node = str
Point = tuple[float, float]


@dataclass(frozen=True)
class Step:
    """A node of a route and how it was reached: a flight's hours, a land crossing, or None
    for a ground step or an entry."""

    node: Node
    how: float | Crossing | None


def road_hours(a: Point | None, b: Point | None) -> float:
    if a is None or b is None:
        return 0.0
    return math.sqrt(_flat_km2(a, b)) / ROAD_KMH


def _flat_km2(a: Point, b: Point) -> float:
    """Squared distance on a flat map (equirectangular): close enough for roads."""
    x = math.radians((b[1] - a[1] + 180) % 360 - 180) * math.cos(math.radians((a[0] + b[0]) / 2))
    y = math.radians(b[0] - a[0])
    return (x * x + y * y) * EARTH_RADIUS_KM * EARTH_RADIUS_KM


class Index:
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
                (self.n_ports + self.port_id[iata], road_hours(point, there))
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
            self._borders[key] = (side, far, road_hours(side, far))
        return self._borders[key]


_INDEXES: dict[int, tuple[RouteData, Index]] = {}


def index_for(data: RouteData) -> Index:
    held = _INDEXES.get(id(data))
    if held is not None and held[0] is data:
        return held[1]
    index = Index(data)
    _INDEXES[id(data)] = (data, index)
    return index


@lru_cache(maxsize=8)
def hostile_airports(data_id: int, hostile: HostilePlaces) -> Mapping[str, HostilePlace]:
    data = _INDEXES[data_id][0]
    places: dict[str, HostilePlace] = {}
    for iata, airport in data.airports.items():
        if airport.country in hostile.countries:
            places[iata] = HostilePlace(airport.country)
        elif airport.region and airport.region in hostile.regions:
            places[iata] = HostilePlace(airport.country, airport.region)
    return places


@lru_cache(maxsize=8)
def hostile_offsets(
    data_id: int, hostile: HostilePlaces
) -> tuple[tuple[int, ...], Mapping[str, tuple[str, ...]]]:
    """For each airport id, ``layer`` when arriving there touches a hostile place, else 0; and
    each country's hostile airports (a traveller's own may not count:
    ``search._Search.blocked``)."""
    index = _INDEXES[data_id][1]
    places = hostile_airports(data_id, hostile)
    by_country: dict[str, list[str]] = {}
    for iata, place in places.items():
        by_country.setdefault(place.country, []).append(iata)
    offsets = tuple(index.layer if iata in places else 0 for iata in index.ports)
    return offsets, {country: tuple(ports) for country, ports in by_country.items()}
