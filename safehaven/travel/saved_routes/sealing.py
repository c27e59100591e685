"""What a saved route seals: the route, the traveller's inputs behind it and the dates of the
data, as JSON (``SavedRoute.route``), and back. Nothing here touches the database."""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass
from typing import Any

from safehaven.travel.routes.data import DataDates
from safehaven.travel.routes.plan import (
    Entry,
    EntryBasis,
    HostilePlace,
    Leg,
    LegMode,
    Route,
    Traveller,
)

VERSION = 1


@dataclass(frozen=True)
class SealedRoute:
    """A saved route opened: what the planner offered, for whom, on which data."""

    route: Route
    traveller: Traveller
    dates: DataDates
    withdrawn_reason: str = ""  # why it was withdrawn, once it is


def route_to_json(sealed: SealedRoute) -> str:
    dates = {name: day.isoformat() for name, day in asdict(sealed.dates).items()}
    return json.dumps(
        {
            "v": VERSION,
            "route": asdict(sealed.route),
            "traveller": asdict(sealed.traveller),
            "dates": dates,
            "withdrawn_reason": sealed.withdrawn_reason,
        },
        sort_keys=True,
        separators=(",", ":"),
    )


def _entry(data: dict[str, Any] | None) -> Entry | None:
    if data is None:
        return None
    return Entry(
        country=data["country"],
        passport=data["passport"],
        basis=EntryBasis(data["basis"]),
        days=data["days"],
    )


def _leg(data: dict[str, Any]) -> Leg:
    return Leg(
        mode=LegMode(data["mode"]),
        from_place=data["from_place"],
        to_place=data["to_place"],
        from_country=data["from_country"],
        to_country=data["to_country"],
        hours=float(data["hours"]),
        crossing_status=data["crossing_status"],
        entry=_entry(data["entry"]),
    )


def route_from_json(text: str) -> SealedRoute:
    """The saved route of ``text`` (made by :func:`route_to_json`); ValueError if it is not."""
    try:
        data = json.loads(text)
        if data.get("v") != VERSION:
            raise ValueError("unknown saved route version")
        raw = data["route"]
        route = Route(
            destination=raw["destination"],
            legs=tuple(_leg(leg) for leg in raw["legs"]),
            hours=float(raw["hours"]),
            transit_countries=tuple(raw["transit_countries"]),
            hostile_transits=tuple(
                HostilePlace(country=place["country"], region=place["region"])
                for place in raw["hostile_transits"]
            ),
        )
        person = data["traveller"]
        traveller = Traveller(
            origin_country=person["origin_country"],
            origin_region=person["origin_region"],
            passports=tuple(person["passports"]),
            visas=tuple(person["visas"]),
            citizenships=tuple(person["citizenships"]),
        )
        dates = DataDates(
            **{name: datetime.date.fromisoformat(day) for name, day in data["dates"].items()}
        )
        withdrawn_reason = str(data.get("withdrawn_reason") or "")
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError("not a saved route") from error
    return SealedRoute(route, traveller, dates, withdrawn_reason)
