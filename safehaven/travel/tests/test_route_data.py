"""The route planner's shipped data files and their loader (travel/routes/data.py)."""

import csv
import importlib.util
from pathlib import Path

import pycountry
import pytest

from safehaven.travel.routes.data import (
    DATA_DIR,
    FLIGHTS_DATE,
    VISAS_DATE,
    Requirement,
    VisaRule,
    route_data,
)

EU_MEMBERS = set(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()  # noqa: SIM905
)
SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"
COUNTRY_COLUMNS = {
    "flights.csv": ("from_country", "to_country"),
    "airports.csv": ("country",),
    "suspended_routes.csv": ("from_country", "to_country"),
    "land_borders.csv": ("from_country", "to_country"),
    "visas.csv": ("passport", "destination"),
    "destinations.csv": ("country",),
}


def _countries_in(name: str) -> set[str]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as f:
        return {row[column] for row in csv.DictReader(f) for column in COUNTRY_COLUMNS[name]}


def test_it_loads_every_file():
    data = route_data()
    assert len(data.flights) > 3000
    assert len(data.visas) == 199 * 199
    assert {d.country for d in data.destinations} >= {"CA", "DE", "NL", "SE", "NO"}
    assert data.dates.flights == FLIGHTS_DATE
    assert data.dates.visas == VISAS_DATE


def test_it_loads_once_per_process():
    assert route_data() is route_data()


def test_it_removes_flights_between_russia_and_the_eu():
    data = route_data()
    eu_airports = {a for a, country in data.airport_country.items() if country in EU_MEMBERS}
    assert data.airport_country["SVO"] == "RU"
    assert not data.flights["SVO"] & eu_airports
    assert not data.flights["FRA"] & data.airports_by_country["RU"]
    assert data.flights["SVO"]  # Moscow still has flights elsewhere (Istanbul, Yerevan…)


def test_it_removes_every_flight_from_and_to_ukraine():
    data = route_data()
    assert "UA" not in data.airports_by_country
    assert not any(data.airport_country[to] == "UA" for to in data.flights["IST"])


def test_it_keeps_open_land_crossings_and_leaves_out_closed_ones():
    data = route_data()
    from_russia = {c.to_country for c in data.land["RU"]}
    assert "GE" in from_russia
    assert {"UA", "FI"}.isdisjoint(from_russia)
    assert "TR" not in {c.to_country for c in data.land["AM"]}
    assert "AZ" not in {c.to_country for c in data.land["AM"]}
    assert {"GE", "IR"} <= {c.to_country for c in data.land["AM"]}


def test_it_looks_up_visa_requirements():
    data = route_data()
    russia_to_georgia = data.visa("RU", "GE")
    assert russia_to_georgia is not None
    assert russia_to_georgia.requirement == Requirement.VISA_FREE
    assert data.visa("AF", "DE") == VisaRule(Requirement.VISA_REQUIRED)
    assert data.visa("DE", "DE") == VisaRule(Requirement.OWN_COUNTRY)
    assert data.visa("XX", "DE") is None


@pytest.mark.parametrize("name", sorted(COUNTRY_COLUMNS))
def test_it_names_only_known_iso_countries(name):
    known = {c.alpha_2 for c in pycountry.countries} | {"XK"}  # Kosovo: user-assigned code
    assert _countries_in(name) - known == set()


def test_it_lists_land_crossings_in_both_directions():
    data = route_data()
    for country, crossings in data.land.items():
        for crossing in crossings:
            assert country in {c.to_country for c in data.land[crossing.to_country]}


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present on this machine")
def test_it_matches_a_rebuild_from_the_shared_sources(tmp_path):
    spec = importlib.util.spec_from_file_location("build", DATA_DIR / "build_travel_data.py")
    assert spec is not None
    assert spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    build.main(SHARED, tmp_path)
    for name in COUNTRY_COLUMNS:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_it_knows_every_airport_with_a_flight_and_the_regions_with_facts():
    data = route_data()
    with (DATA_DIR / "flights.csv").open(newline="", encoding="utf-8") as f:
        used = {row[column] for row in csv.DictReader(f) for column in ("from_iata", "to_iata")}
    assert used <= set(data.airports)
    assert data.airports["GRV"].region == "RU-CE"
    assert data.airports["KAN"].region == "NG-KN"
    assert data.airports["BTJ"].region == "ID-AC"
    assert data.airports["SVO"].region == ""
    assert data.airport_country["GRV"] == "RU"
    assert 43 < data.airports["GRV"].lat < 44


def test_it_keeps_the_date_and_source_of_each_suspension_that_removed_a_flight():
    suspension = route_data().suspensions[("RU", "DE")]
    assert suspension.since is not None
    assert suspension.since.isoformat() == "2022-02-27"
    assert "2022/334" in suspension.source
