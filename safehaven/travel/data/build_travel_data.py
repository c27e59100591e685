"""Build the route planner's data files from ``../shared/data`` and the curated lists in
``curated_lists.py`` next to it. Run by hand when a source or a curated row changes; the app
never imports either.

    .venv/bin/python safehaven/travel/data/build_travel_data.py ../shared/data

It writes ``flights.csv``, ``airports.csv``, ``visas.csv``, ``suspended_routes.csv``,
``land_borders.csv`` and ``destinations.csv`` next to itself and prints their sizes and sha256
(copy them to SOURCE.md).
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

import pycountry

# Run as a script, Python puts this folder on sys.path, not the repository root that holds
# safehaven/, where the curated lists next to this file are imported from.
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from safehaven.travel.data.curated_lists import (
    DESTINATIONS,
    EU_MEMBERS,
    FACTBOOK,
    LAND_PAIRS,
    LAND_STATUS,
    SUSPENDED,
)

HERE = Path(__file__).resolve().parent
# The regions with facts of their own (e.g. RU-CE Chechnya): an airport whose airportsdata
# subdivision name equals one of their names gets the region's ISO 3166-2 code.
RISK_FACTS = HERE.parents[1] / "countries" / "data" / "risk_facts.csv"

VISA_KINDS = {
    "visa free": "visa_free",
    "visa on arrival": "visa_on_arrival",
    "e-visa": "e_visa",
    "eta": "eta",
    "visa required": "visa_required",
    "no admission": "no_admission",
    "-1": "own_country",
}


def read_airport_countries(shared: Path) -> dict[str, str]:
    with (shared / "airportsdata" / "airports.csv").open(newline="", encoding="utf-8") as f:
        return {row["iata"]: row["country"] for row in csv.DictReader(f) if row["iata"]}


def build_flights(shared: Path) -> tuple[list[list[str]], set[str]]:
    countries = read_airport_countries(shared)
    pairs: set[tuple[str, str]] = set()
    with (shared / "openflights" / "routes.dat").open(newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            src, dst = row[2], row[4]
            if src != dst and src in countries and dst in countries:
                pairs.add((src, dst))
    rows = [[a, b, countries[a], countries[b]] for a, b in sorted(pairs)]
    return rows, {countries[a] for a, _ in pairs} | {countries[b] for _, b in pairs}


def build_airports(shared: Path, flights: list[list[str]]) -> list[list[str]]:
    used = {row[0] for row in flights} | {row[1] for row in flights}
    with RISK_FACTS.open(newline="", encoding="utf-8") as f:
        regions = {
            (row["country"], row["region_name"]): row["region"]
            for row in csv.DictReader(f)
            if row["region"]
        }
    rows = []
    with (shared / "airportsdata" / "airports.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["iata"] in used:
                region = regions.get((row["country"], row["subd"]), "")
                rows.append([row["iata"], row["country"], region, row["lat"], row["lon"]])
    return sorted(rows)


def build_visas(shared: Path) -> list[list[str]]:
    rows = []
    path = shared / "passport-index" / "passport-index-tidy-iso2.csv"
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            value = row["Requirement"].strip()
            if value.isdigit():
                kind, days = "visa_free", value
            else:
                kind, days = VISA_KINDS[value], ""
            rows.append([row["Passport"], row["Destination"], kind, days])
    return rows


def build_suspended(flight_countries: set[str]) -> list[list[str]]:
    rows: set[tuple[str, str, str, str]] = set()
    for country, other, since, source in SUSPENDED:
        others = {"*": sorted(flight_countries), "*EU": EU_MEMBERS}.get(other, [other])
        for o in others:
            rows.add((country, o, since, source))
            rows.add((o, country, since, source))
    return [list(r) for r in sorted(rows)]


def build_land_borders() -> list[list[str]]:
    status = {}
    for a, b, state, since, source in LAND_STATUS:
        status[frozenset((a, b))] = (state, since, source)
    pairs = {frozenset(p.split("-")) for p in LAND_PAIRS}
    missing = set(status) - pairs
    if missing:
        raise SystemExit(f"status for a pair not in LAND_PAIRS: {missing}")
    rows = []
    for pair in pairs:
        a, b = sorted(pair)
        state, since, source = status.get(pair, ("open", "", ""))
        for x, y in ((a, b), (b, a)):
            rows.append([x, y, state, since, FACTBOOK, source])
    return sorted(rows)


def build_destinations(shared: Path) -> list[list[str]]:
    arrivals: dict[str, int] = {}
    path = shared / "unhcr-refugee-statistics" / "resettlement_arrivals_by_country_year.csv"
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["year"] == "2025":
                arrivals[row["country_iso3"]] = int(row["resettlement_arrivals"])
    rows = []
    for iso2, kinds, source in DESTINATIONS:
        country = pycountry.countries.get(alpha_2=iso2)
        if country is None:
            raise SystemExit(f"pycountry does not know {iso2}")
        iso3 = country.alpha_3
        rows.append([iso2, kinds, str(arrivals.get(iso3, 0)), source])
    return rows


def write(out: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    path = out / name
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    sys.stdout.write(f"{name}: {len(rows)} rows, {len(data)} bytes, sha256 {digest}\n")


def main(shared: Path, out: Path = HERE) -> None:
    flights, flight_countries = build_flights(shared)
    write(out, "flights.csv", ["from_iata", "to_iata", "from_country", "to_country"], flights)
    write(
        out,
        "airports.csv",
        ["iata", "country", "region", "lat", "lon"],
        build_airports(shared, flights),
    )
    write(
        out,
        "suspended_routes.csv",
        ["from_country", "to_country", "since", "source"],
        build_suspended(flight_countries),
    )
    write(
        out,
        "land_borders.csv",
        ["from_country", "to_country", "status", "since", "border_source", "status_source"],
        build_land_borders(),
    )
    write(out, "visas.csv", ["passport", "destination", "requirement", "days"], build_visas(shared))
    write(
        out,
        "destinations.csv",
        ["country", "kinds", "resettlement_arrivals_2025", "source"],
        build_destinations(shared),
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[3] / "shared" / "data")
