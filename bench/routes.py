"""Benchmark of the route planner's search (``safehaven.travel.routes.search.plan_routes``).

Run from the repository root: ``.venv/bin/python bench/routes.py``. Prints exactly three lines:

- ``BENCH route_load_ms <n>``: the one-off load of the shipped route data (``route_data()``);
- ``BENCH route_median_ms <n>`` and ``BENCH route_p95_ms <n>``: one plan for each of 1,000
  random (citizenship, origin country) pairs, seed fixed, the passport being the citizenship's
  and no held visa, the origin region unknown.

Hostile places are today's, read from ``safehaven/countries/data/risk_facts.csv`` as the data
migration loads them (no database). The first plans of a process also fill the search's lazy
caches (where land crossings are assumed to be); they are part of the timings. Nothing here
asserts a time: the target (median < 20 ms, p95 < 100 ms on the 2-core machine) is for people
to compare against.
"""

from __future__ import annotations

import csv
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

# Running as a script puts bench/ on sys.path, not the repository root that holds safehaven/.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAIRS = 1_000
SEED = 18
FACTS = ROOT / "safehaven" / "countries" / "data" / "risk_facts.csv"
HOSTILE = {("criminalisation", "criminalised"), ("criminalisation", "criminalised_de_facto")}


def hostile_today() -> tuple[frozenset[str], frozenset[str]]:
    """The same rule as ``countries.queries.hostile_places_on``, on the shipped facts."""
    today = datetime.datetime.now(tz=datetime.UTC).date().isoformat()
    countries: set[str] = set()
    regions: set[str] = set()
    with FACTS.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            valid = row["valid_from"] <= today and (not row["valid_to"] or row["valid_to"] >= today)
            kind = (row["kind"], row["value"])
            if valid and (kind in HOSTILE or row["kind"] == "state_persecution"):
                (regions if row["region"] else countries).add(row["region"] or row["country"])
    return frozenset(countries), frozenset(r for r in regions if r.split("-")[0] not in countries)


def main() -> None:
    os.environ.setdefault("SAFEHAVEN_MODE", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehaven.test_settings")
    import django

    django.setup()  # the search is pure, but HostilePlaces lives beside the countries models
    from safehaven.countries.queries import HostilePlaces
    from safehaven.travel.routes.data import route_data
    from safehaven.travel.routes.plan import Traveller
    from safehaven.travel.routes.search import plan_routes

    started = time.perf_counter()
    data = route_data()
    print(f"BENCH route_load_ms {(time.perf_counter() - started) * 1000:.0f}")
    hostile = HostilePlaces(*hostile_today())
    rng = random.Random(SEED)
    citizenships = sorted({passport for passport, _ in data.visas})
    origins = sorted(data.airports_by_country)
    times = []
    for _ in range(PAIRS):
        citizenship, origin = rng.choice(citizenships), rng.choice(origins)
        traveller = Traveller(origin, "", (citizenship,), (), (citizenship,))
        started = time.perf_counter()
        plan_routes(traveller, hostile=hostile, data=data)
        times.append((time.perf_counter() - started) * 1000)
    print(f"BENCH route_median_ms {statistics.median(times):.1f}")
    print(f"BENCH route_p95_ms {statistics.quantiles(times, n=20)[-1]:.1f}")


if __name__ == "__main__":
    main()
