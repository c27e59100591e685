"""The route search on the shipped data with the shipped country facts (``plan_for``), and
``countries.queries.hostile_places_on`` that feeds it."""

import datetime

import pytest

from safehaven.countries.queries import hostile_places_on
from safehaven.travel.routes.data import route_data
from safehaven.travel.routes.plan import LegMode, Route, Traveller
from safehaven.travel.routes.planning import plan_for

pytestmark = pytest.mark.django_db


def places_on(route: Route, origin: str) -> list[tuple[str, str]]:
    """Every (country, region) a route touches after leaving where the person is."""
    airports = route_data().airports
    places = []
    for leg in route.legs:
        if leg.mode == LegMode.AIR:
            places += [
                (a.country, a.region) for a in (airports[leg.from_place], airports[leg.to_place])
            ]
        else:
            places.append((leg.to_country, ""))
    return places


def test_it_names_hostile_countries_and_regions():
    hostile = hostile_places_on()
    assert "RU" not in hostile.countries
    assert "RU-CE" in hostile.regions
    assert "AF" in hostile.countries
    assert "NG-KN" not in hostile.regions  # Kano's facts are penalties; Nigeria is hostile whole
    assert "DE" not in hostile.countries


def test_it_does_not_count_a_fact_closed_before_the_day():
    # Antigua and Barbuda's law was struck down on 5 July 2022 (its fact closed the day before).
    assert "AG" in hostile_places_on(datetime.date(2021, 6, 1)).countries
    assert "AG" not in hostile_places_on(datetime.date(2022, 7, 5)).countries


def test_it_plans_a_safe_way_out_of_grozny_for_a_russian():
    traveller = Traveller("RU", "RU-CE", passports=("RU",), citizenships=("RU",))
    plan = plan_for(traveller)
    hostile = hostile_places_on()
    data = route_data()
    assert plan.safe_routes
    for route in plan.safe_routes:
        first = route.legs[0]
        assert first.from_place == "GRV"  # from the region's airport
        for country, region in places_on(route, "RU")[1:]:
            assert country not in hostile.countries
            assert region not in hostile.regions
        for leg in route.legs:
            if leg.mode == LegMode.AIR:
                assert (leg.from_country, leg.to_country) not in data.suspended
    assert {(s.from_country, s.to_country) for s in plan.suspensions} >= {
        ("RU", "DE"),
        ("RU", "CA"),
    }


def test_it_flags_every_hostile_transit_for_an_afghan_in_kabul():
    # An Afghan passport is admitted to no curated destination but Australia (e-visa), reached
    # airside through Delhi and Singapore; a held German visa adds Germany. The quickest ways
    # through a hostile hub (Dubai, Tehran) are offered too, flagged and after the safe ones:
    # the 2014 flights behind a safe route may no longer fly.
    traveller = Traveller("AF", "", passports=("AF",), visas=("DE",), citizenships=("AF",))
    plan = plan_for(traveller)
    hostile = hostile_places_on()
    assert {r.destination for r in plan.safe_routes} >= {"AU", "DE"}
    assert plan.flagged_routes
    for route in plan.routes:
        touched = {
            (country, region)
            for country, region in places_on(route, "AF")
            if country != "AF" and (country in hostile.countries or region in hostile.regions)
        }
        assert {(p.country, p.region or "") for p in route.hostile_transits} == {
            (c, "" if c in hostile.countries else r) for c, r in touched
        }
    flagged = [r.flagged for r in plan.routes]
    assert flagged == sorted(flagged)  # every flagged route after every safe one


def test_it_finds_no_route_without_a_passport():
    plan = plan_for(Traveller("AF", "", citizenships=("AF",)))
    assert plan.no_passport
    assert plan.routes == ()
