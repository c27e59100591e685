"""What the route planner is asked and what it answers: plain frozen values, so the search
(``routes.search``) is a pure function the page, the saved route and the tests share.

A saved route is these values, sealed in the case's travel compartment; the page shows the same
values. Nothing here touches the database.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Traveller:
    """The planner's question for one person (or a household travelling on the same papers)."""

    origin_country: str  # ISO alpha-2, where the person is now
    origin_region: str = ""  # ISO 3166-2 (e.g. "RU-CE"), when known
    passports: tuple[str, ...] = ()  # issuing countries of the valid passports held
    visas: tuple[str, ...] = ()  # countries a valid visa or residence permit admits to
    citizenships: tuple[str, ...] = ()  # to enter one's own country without a passport rule


class LegMode(StrEnum):
    AIR = "air"
    LAND = "land"


class EntryBasis(StrEnum):
    """On what the person enters a country: a rule of the visa matrix for the passport used, or
    a visa they hold."""

    OWN_COUNTRY = "own_country"
    VISA_FREE = "visa_free"
    ETA = "eta"
    E_VISA = "e_visa"
    VISA_ON_ARRIVAL = "visa_on_arrival"
    VISA_HELD = "visa_held"


@dataclass(frozen=True)
class Entry:
    """Entering a country on the way (after a land crossing, or at the destination)."""

    country: str
    passport: str  # the passport used ("" when entering one's own country as a citizen)
    basis: EntryBasis
    days: int | None = None  # visa-free stay, when the matrix gives one

    @property
    def needs_action(self) -> bool:
        """An e-visa, ETA or visa on arrival must be applied for or paid: the page marks it."""
        return self.basis in {EntryBasis.ETA, EntryBasis.E_VISA, EntryBasis.VISA_ON_ARRIVAL}


@dataclass(frozen=True)
class Leg:
    mode: LegMode
    from_place: str  # airport IATA for a flight, country code for a land crossing
    to_place: str
    from_country: str
    to_country: str
    hours: float  # an estimate: great-circle flight time, or a fixed allowance for a crossing
    crossing_status: str = ""  # land legs: "open" or "restricted"
    entry: Entry | None = None  # set when the person enters ``to_country`` at the end of it


@dataclass(frozen=True)
class HostilePlace:
    """A country, or a region of one, that criminalises same-sex intimacy or persecutes
    without a law (``countries`` facts), passed on the way."""

    country: str
    region: str = ""  # ISO 3166-2 when only a region is hostile


@dataclass(frozen=True)
class Route:
    destination: str
    legs: tuple[Leg, ...]
    hours: float  # legs plus connections, an estimate
    transit_countries: tuple[str, ...]  # passed through, neither origin nor destination
    hostile_transits: tuple[HostilePlace, ...] = ()  # non-empty: flagged, ranked last

    @property
    def flagged(self) -> bool:
        return bool(self.hostile_transits)

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(leg.entry for leg in self.legs if leg.entry is not None)

    @property
    def key(self) -> str:
        """A stable name of the route, for choosing it again from a fresh search when saved."""
        return "|".join(f"{leg.mode}:{leg.from_place}>{leg.to_place}" for leg in self.legs)


class RejectionReason(StrEnum):
    CRIMINALISING_DESTINATION = "criminalising_destination"
    NO_ADMISSION = "no_admission"  # no passport held is admitted at all
    VISA_NEEDED = "visa_needed"  # every passport held needs a visa the person lacks
    NO_CONNECTION = "no_connection"  # admitted, but no flight or crossing reaches it
    ORIGIN = "origin"  # the person is already there


@dataclass(frozen=True)
class Rejection:
    """Why a destination of the curated list is not offered."""

    destination: str
    reason: RejectionReason
    passports: tuple[str, ...] = ()  # the passports considered, for a visa reason


@dataclass(frozen=True)
class Suspension:
    """A country pair with no flights now, which would otherwise have offered a route."""

    from_country: str
    to_country: str
    since: datetime.date | None
    source: str


@dataclass(frozen=True)
class Plan:
    traveller: Traveller
    routes: tuple[Route, ...]  # ranked: every route avoiding hostile places first
    rejections: tuple[Rejection, ...] = ()
    suspensions: tuple[Suspension, ...] = ()
    no_passport: bool = False  # no valid passport or travel document: no route exists yet

    @property
    def safe_routes(self) -> tuple[Route, ...]:
        return tuple(route for route in self.routes if not route.flagged)

    @property
    def flagged_routes(self) -> tuple[Route, ...]:
        return tuple(route for route in self.routes if route.flagged)
