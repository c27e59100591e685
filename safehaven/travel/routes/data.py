"""The route planner's reference data, read once per process from ``travel/data/``.

Everything is returned as plain immutable structures (frozen dataclasses, tuples, frozensets and
read-only mappings) so one copy is shared by every request. ``RouteData.build`` is the one place
where suspended flight routes are removed and closed land crossings left out: the loader and
the tests' hand-built graphs both go through it, so the planner never sees either. Nothing here
reads ``../shared``: the build script in ``travel/data/`` does that, by hand.
"""

from __future__ import annotations

import csv
import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from types import MappingProxyType

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# The dates of the data behind a route, for the page to show (see travel/data/SOURCE.md).
FLIGHTS_DATE = datetime.date(2014, 6, 1)  # OpenFlights routes.dat: June 2014, unmaintained since
AIRPORTS_DATE = datetime.date(2026, 9, 5)  # airportsdata 20260905
VISAS_DATE = datetime.date(2026, 2, 17)  # passport-index, scraped 17 February 2026
CURATED_DATE = datetime.date(2026, 12, 7)  # land borders, suspensions, destinations reviewed

CRUISE_KMH = 800.0  # great-circle distance over this speed, plus taxi and climb
FLIGHT_OVERHEAD_HOURS = 0.5
EARTH_RADIUS_KM = 6371.0


class Requirement(StrEnum):
    VISA_FREE = "visa_free"
    VISA_ON_ARRIVAL = "visa_on_arrival"
    E_VISA = "e_visa"
    ETA = "eta"
    VISA_REQUIRED = "visa_required"
    NO_ADMISSION = "no_admission"
    OWN_COUNTRY = "own_country"


class DestinationKind(StrEnum):
    ASYLUM_ON_ARRIVAL = "asylum_on_arrival"
    RESETTLEMENT = "resettlement"


@dataclass(frozen=True)
class VisaRule:
    requirement: Requirement
    days: int | None = None  # the visa-free stay, when the source gives one


@dataclass(frozen=True)
class Airport:
    country: str  # ISO alpha-2
    region: str  # ISO 3166-2 when the region has facts in ``countries``, else ""
    lat: float
    lon: float


@dataclass(frozen=True)
class Crossing:
    to_country: str
    status: str  # "open" or "restricted"; closed crossings are not loaded
    source: str


@dataclass(frozen=True)
class SuspendedRoute:
    """A country pair with no flights now (one direction), with when and on whose word."""

    from_country: str
    to_country: str
    since: datetime.date | None
    source: str


@dataclass(frozen=True)
class Destination:
    country: str
    kinds: frozenset[DestinationKind]
    resettlement_arrivals_2025: int
    source: str


@dataclass(frozen=True)
class DataDates:
    flights: datetime.date = FLIGHTS_DATE
    airports: datetime.date = AIRPORTS_DATE
    visas: datetime.date = VISAS_DATE
    curated: datetime.date = CURATED_DATE


def flight_hours(a: Airport, b: Airport) -> float:
    """Great-circle distance over a cruising speed, plus a fixed half hour."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
    return km / CRUISE_KMH + FLIGHT_OVERHEAD_HOURS


@dataclass(frozen=True)
class RouteData:
    flights: Mapping[str, frozenset[str]]  # airport IATA -> airports reachable by a direct flight
    airport_country: Mapping[str, str]  # airport IATA -> ISO alpha-2
    airports_by_country: Mapping[str, frozenset[str]]  # airports with a flight, by country
    land: Mapping[str, tuple[Crossing, ...]]  # country -> crossings into neighbours (not closed)
    visas: Mapping[tuple[str, str], VisaRule]  # (passport, destination) -> rule
    destinations: tuple[Destination, ...]
    suspended: frozenset[tuple[str, str]]  # (country from, country to) with no flights
    dates: DataDates
    airports: Mapping[str, Airport] = field(default_factory=lambda: MappingProxyType({}))
    # Suspended pairs that removed at least one direct flight, for the planner to explain.
    suspensions: Mapping[tuple[str, str], SuspendedRoute] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # airport -> ((to airport, hours), ...), sorted, computed once here for the search.
    flight_legs: Mapping[str, tuple[tuple[str, float], ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def visa(self, passport: str, destination: str) -> VisaRule | None:
        """The rule for a passport entering a country; None when the matrix has no row."""
        return self.visas.get((passport, destination))

    @classmethod
    def build(
        cls,
        *,
        flights: Iterable[tuple[str, str]],
        airports: Mapping[str, Airport],
        land: Iterable[tuple[str, Crossing]],
        visas: Mapping[tuple[str, str], VisaRule],
        destinations: Iterable[Destination],
        suspended: Iterable[SuspendedRoute] = (),
        dates: DataDates | None = None,
    ) -> RouteData:
        """The one way to make route data: drops flights between suspended country pairs and
        closed land crossings, and precomputes each flight's hours."""
        by_pair = {(s.from_country, s.to_country): s for s in suspended}
        used: dict[tuple[str, str], SuspendedRoute] = {}
        reach: dict[str, set[str]] = defaultdict(set)
        by_country: dict[str, set[str]] = defaultdict(set)
        for a, b in flights:
            if a == b or a not in airports or b not in airports:
                continue
            pair = (airports[a].country, airports[b].country)
            if pair in by_pair:
                used[pair] = by_pair[pair]
                continue
            reach[a].add(b)
            by_country[pair[0]].add(a)
            by_country[pair[1]].add(b)
        crossings: dict[str, list[Crossing]] = defaultdict(list)
        for country, crossing in land:
            if crossing.status != "closed":
                crossings[country].append(crossing)
        legs = {
            a: tuple((b, flight_hours(airports[a], airports[b])) for b in sorted(tos))
            for a, tos in sorted(reach.items())
        }
        return cls(
            flights=_freeze(reach),
            airport_country=MappingProxyType({k: v.country for k, v in airports.items()}),
            airports_by_country=_freeze(by_country),
            land=MappingProxyType({key: tuple(values) for key, values in crossings.items()}),
            visas=MappingProxyType(dict(visas)),
            destinations=tuple(destinations),
            suspended=frozenset(by_pair),
            dates=dates or DataDates(),
            airports=MappingProxyType(dict(airports)),
            suspensions=MappingProxyType(used),
            flight_legs=MappingProxyType(legs),
        )


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def _freeze(groups: Mapping[str, set[str]]) -> Mapping[str, frozenset[str]]:
    return MappingProxyType({key: frozenset(values) for key, values in groups.items()})


@cache
def route_data() -> RouteData:
    """Every file of ``travel/data/``, read once per process (the same object on every call)."""
    return RouteData.build(
        flights=((r["from_iata"], r["to_iata"]) for r in _rows("flights.csv")),
        airports={
            r["iata"]: Airport(r["country"], r["region"], float(r["lat"]), float(r["lon"]))
            for r in _rows("airports.csv")
        },
        land=(
            (
                r["from_country"],
                Crossing(r["to_country"], r["status"], r["status_source"] or r["border_source"]),
            )
            for r in _rows("land_borders.csv")
        ),
        visas={
            (r["passport"], r["destination"]): VisaRule(
                Requirement(r["requirement"]), int(r["days"]) if r["days"] else None
            )
            for r in _rows("visas.csv")
        },
        destinations=(
            Destination(
                r["country"],
                frozenset(DestinationKind(kind) for kind in r["kinds"].split()),
                int(r["resettlement_arrivals_2025"]),
                r["source"],
            )
            for r in _rows("destinations.csv")
        ),
        suspended=(
            SuspendedRoute(
                r["from_country"],
                r["to_country"],
                datetime.date.fromisoformat(r["since"]) if r["since"] else None,
                r["source"],
            )
            for r in _rows("suspended_routes.csv")
        ),
    )
