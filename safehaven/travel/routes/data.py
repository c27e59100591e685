"""The route planner's reference data, read once per process from ``travel/data/``.

Everything is returned as plain immutable structures (frozen dataclasses, tuples, frozensets and
read-only mappings) so one copy is shared by every request. Suspended flight routes are removed
and closed land crossings left out here, once; the planner never sees them. Nothing here reads
``../shared``: the build script in ``travel/data/`` does that, by hand.
"""

from __future__ import annotations

import csv
import datetime
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
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
class Crossing:
    to_country: str
    status: str  # "open" or "restricted"; closed crossings are not loaded
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


@dataclass(frozen=True)
class RouteData:
    flights: Mapping[str, frozenset[str]]  # airport IATA -> airports reachable by a direct flight
    airport_country: Mapping[str, str]  # airport IATA -> ISO alpha-2
    airports_by_country: Mapping[str, frozenset[str]]
    land: Mapping[str, tuple[Crossing, ...]]  # country -> crossings into neighbours (not closed)
    visas: Mapping[tuple[str, str], VisaRule]  # (passport, destination) -> rule
    destinations: tuple[Destination, ...]
    suspended: frozenset[tuple[str, str]]  # (country from, country to) with no flights
    dates: DataDates

    def visa(self, passport: str, destination: str) -> VisaRule | None:
        """The rule for a passport entering a country; None when the matrix has no row."""
        return self.visas.get((passport, destination))


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def _freeze(groups: Mapping[str, set[str]]) -> Mapping[str, frozenset[str]]:
    return MappingProxyType({key: frozenset(values) for key, values in groups.items()})


@cache
def route_data() -> RouteData:
    """Every file of ``travel/data/``, read once per process (the same object on every call)."""
    suspended = frozenset(
        (r["from_country"], r["to_country"]) for r in _rows("suspended_routes.csv")
    )
    flights: dict[str, set[str]] = defaultdict(set)
    airport_country: dict[str, str] = {}
    by_country: dict[str, set[str]] = defaultdict(set)
    for r in _rows("flights.csv"):
        airport_country[r["from_iata"]] = r["from_country"]
        airport_country[r["to_iata"]] = r["to_country"]
        if (r["from_country"], r["to_country"]) in suspended:
            continue
        flights[r["from_iata"]].add(r["to_iata"])
        by_country[r["from_country"]].add(r["from_iata"])
        by_country[r["to_country"]].add(r["to_iata"])
    land: dict[str, list[Crossing]] = defaultdict(list)
    for r in _rows("land_borders.csv"):
        if r["status"] != "closed":
            land[r["from_country"]].append(
                Crossing(r["to_country"], r["status"], r["status_source"] or r["border_source"])
            )
    visas = {
        (r["passport"], r["destination"]): VisaRule(
            Requirement(r["requirement"]), int(r["days"]) if r["days"] else None
        )
        for r in _rows("visas.csv")
    }
    destinations = tuple(
        Destination(
            r["country"],
            frozenset(DestinationKind(kind) for kind in r["kinds"].split()),
            int(r["resettlement_arrivals_2025"]),
            r["source"],
        )
        for r in _rows("destinations.csv")
    )
    return RouteData(
        flights=_freeze(flights),
        airport_country=MappingProxyType(airport_country),
        airports_by_country=_freeze(by_country),
        land=MappingProxyType({key: tuple(values) for key, values in land.items()}),
        visas=MappingProxyType(visas),
        destinations=destinations,
        suspended=suspended,
        dates=DataDates(),
    )
