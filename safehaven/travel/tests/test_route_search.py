"""The route search's rules on small hand-built graphs (``travel/routes/search.py``): pure, no
database. Each graph is made through ``RouteData.build``, the loader's own path, so a
suspended flight or a closed crossing is dropped exactly as in the shipped data."""

import datetime

from safehaven.countries.queries import HostilePlaces
from safehaven.travel.routes.data import (
    Airport,
    Crossing,
    Destination,
    DestinationKind,
    Requirement,
    RouteData,
    SuspendedRoute,
    VisaRule,
)
from safehaven.travel.routes.plan import (
    EntryBasis,
    HostilePlace,
    LegMode,
    RejectionReason,
    Suspension,
    Traveller,
)
from safehaven.travel.routes.search import plan_routes

AIRPORTS = {
    "GRV": Airport("RU", "RU-CE", 43.39, 45.70),  # Grozny
    "SVO": Airport("RU", "", 55.97, 37.41),  # Moscow
    "DXB": Airport("AE", "", 25.25, 55.36),  # hostile hub
    "BTJ": Airport("ID", "ID-AC", 5.52, 95.42),  # hostile region of a country that is not
    "IST": Airport("TR", "", 41.28, 28.75),
    "TBS": Airport("GE", "", 41.67, 44.95),
    "FRA": Airport("DE", "", 50.03, 8.57),
    "AMS": Airport("NL", "", 52.31, 4.76),
    "NRT": Airport("JP", "", 35.77, 140.39),  # far away: the long way round
}
NOBODY_HOSTILE = HostilePlaces(frozenset(), frozenset())
HOSTILE = HostilePlaces(frozenset({"AE"}), frozenset({"ID-AC", "RU-CE"}))
FREE = VisaRule(Requirement.VISA_FREE)
RUSSIAN = Traveller("RU", "RU-CE", passports=("RU",), citizenships=("RU",))


def destination(country: str) -> Destination:
    return Destination(country, frozenset({DestinationKind.ASYLUM_ON_ARRIVAL}), 0, "test")


def graph(
    flights,
    *,
    visas=None,
    land=(),
    destinations=("DE", "NL"),
    suspended=(),
):
    rules = {(p, c): FREE for p in ("RU", "AM") for c in ("TR", "GE", "DE", "NL", "AE", "ID")}
    rules.update(visas or {})
    return RouteData.build(
        flights=[tuple(pair.split("-")) for pair in flights],
        airports=AIRPORTS,
        land=land,
        visas=rules,
        destinations=[destination(c) for c in destinations],
        suspended=suspended,
    )


def reasons(plan):
    return {r.destination: r.reason for r in plan.rejections}


def test_it_refuses_a_criminalising_destination():
    data = graph(["GRV-DXB", "GRV-FRA"], destinations=("AE", "DE"))
    plan = plan_routes(RUSSIAN, hostile=HOSTILE, data=data)
    assert [r.destination for r in plan.routes] == ["DE"]
    assert reasons(plan) == {"AE": RejectionReason.CRIMINALISING_DESTINATION}


def test_it_flags_a_criminalising_transit_and_ranks_it_after_every_safe_route():
    # Germany only through Dubai, the Netherlands the long way round through Tokyo.
    data = graph(["GRV-DXB", "DXB-FRA", "GRV-IST", "IST-NRT", "NRT-AMS"])
    plan = plan_routes(RUSSIAN, hostile=HOSTILE, data=data)
    assert [r.destination for r in plan.routes] == ["NL", "DE"]
    netherlands, germany = plan.routes
    assert not netherlands.flagged
    assert germany.flagged
    assert germany.hostile_transits == (HostilePlace("AE"),)
    assert germany.hours < netherlands.hours  # ranked last although faster
    assert plan.safe_routes == (netherlands,)
    assert plan.flagged_routes == (germany,)


def test_it_offers_a_slower_safe_route_first_and_a_faster_flagged_one_after_it():
    data = graph(["GRV-DXB", "DXB-FRA", "GRV-IST", "IST-NRT", "NRT-FRA"], destinations=("DE",))
    plan = plan_routes(RUSSIAN, hostile=HOSTILE, data=data)
    safe, flagged = plan.routes
    assert safe.key == "air:GRV>IST|air:IST>NRT|air:NRT>FRA"
    assert not safe.flagged
    assert safe.transit_countries == ("TR", "JP")
    # The same destination through Dubai: quicker, offered too, but flagged and ranked last.
    assert flagged.key == "air:GRV>DXB|air:DXB>FRA"
    assert flagged.hostile_transits == (HostilePlace("AE"),)
    assert flagged.hours < safe.hours
    assert plan.safe_routes == (safe,)
    assert plan.flagged_routes == (flagged,)


def test_it_offers_no_flagged_detour_that_only_touches_a_hostile_place():
    # The only way to touch Dubai is there and back from Istanbul: not a route to offer.
    data = graph(["GRV-IST", "IST-FRA", "IST-DXB", "DXB-IST"], destinations=("DE",))
    (route,) = plan_routes(RUSSIAN, hostile=HOSTILE, data=data).routes
    assert route.key == "air:GRV>IST|air:IST>FRA"
    assert not route.flagged


def test_it_flags_a_transit_through_a_hostile_region_by_its_airport():
    data = graph(["GRV-BTJ", "BTJ-FRA"], destinations=("DE",))
    (route,) = plan_routes(RUSSIAN, hostile=HOSTILE, data=data).routes
    assert route.hostile_transits == (HostilePlace("ID", "ID-AC"),)


def test_it_does_not_flag_the_hostile_region_the_person_leaves_from():
    data = graph(["GRV-FRA", "SVO-GRV"], destinations=("DE",))
    (route,) = plan_routes(RUSSIAN, hostile=HOSTILE, data=data).routes
    assert route.key == "air:GRV>FRA"
    assert not route.flagged
    # From Moscow, a change of planes in Grozny is a hostile transit.
    from_moscow = Traveller("RU", "", passports=("RU",), citizenships=("RU",))
    data = graph(["SVO-GRV", "GRV-FRA"], destinations=("DE",))
    (route,) = plan_routes(from_moscow, hostile=HOSTILE, data=data).routes
    assert route.hostile_transits == (HostilePlace("RU", "RU-CE"),)


def test_it_refuses_a_destination_that_needs_a_visa_the_person_lacks():
    data = graph(["GRV-FRA", "GRV-AMS"], visas={("RU", "DE"): VisaRule(Requirement.VISA_REQUIRED)})
    plan = plan_routes(RUSSIAN, hostile=HOSTILE, data=data)
    assert [r.destination for r in plan.routes] == ["NL"]
    (rejection,) = plan.rejections
    assert rejection.destination == "DE"
    assert rejection.reason == RejectionReason.VISA_NEEDED
    assert rejection.passports == ("RU",)


def test_it_accepts_a_held_visa_for_a_country_that_needs_one():
    data = graph(["GRV-FRA"], visas={("RU", "DE"): VisaRule(Requirement.VISA_REQUIRED)})
    traveller = Traveller("RU", "RU-CE", passports=("RU",), visas=("DE",), citizenships=("RU",))
    (route,) = plan_routes(traveller, hostile=HOSTILE, data=data).routes
    assert route.entries[-1].basis == EntryBasis.VISA_HELD


def test_it_refuses_a_transit_country_that_needs_a_visa_by_land():
    # Germany only by land through Georgia, whose border needs a visa.
    data = graph(
        ["TBS-FRA"],
        visas={("RU", "GE"): VisaRule(Requirement.VISA_REQUIRED)},
        land=[("RU", Crossing("GE", "open", "test"))],
        destinations=("DE",),
    )
    plan = plan_routes(RUSSIAN, hostile=HOSTILE, data=data)
    assert plan.routes == ()
    assert reasons(plan) == {"DE": RejectionReason.NO_CONNECTION}


def test_it_accepts_a_visa_on_arrival_and_marks_it():
    data = graph(["GRV-FRA"], visas={("RU", "DE"): VisaRule(Requirement.VISA_ON_ARRIVAL)})
    (route,) = plan_routes(RUSSIAN, hostile=HOSTILE, data=data).routes
    (entry,) = route.entries
    assert entry.country == "DE"
    assert entry.basis == EntryBasis.VISA_ON_ARRIVAL
    assert entry.needs_action


def test_it_uses_the_better_of_two_passports_for_each_entry():
    data = graph(
        ["GRV-FRA", "GRV-AMS"],
        visas={
            ("RU", "DE"): VisaRule(Requirement.E_VISA),
            ("AM", "DE"): VisaRule(Requirement.VISA_FREE, 90),
            ("RU", "NL"): VisaRule(Requirement.VISA_FREE, 30),
            ("AM", "NL"): VisaRule(Requirement.VISA_ON_ARRIVAL),
        },
    )
    traveller = Traveller("RU", "RU-CE", passports=("RU", "AM"), citizenships=("RU", "AM"))
    entries = {
        r.destination: r.entries[-1]
        for r in plan_routes(traveller, hostile=HOSTILE, data=data).routes
    }
    assert (entries["DE"].passport, entries["DE"].basis, entries["DE"].days) == (
        "AM",
        EntryBasis.VISA_FREE,
        90,
    )
    assert (entries["NL"].passport, entries["NL"].basis) == ("RU", EntryBasis.VISA_FREE)


def test_it_goes_overland_when_no_flight_leaves():
    data = graph(
        ["TBS-FRA"],
        land=[("RU", Crossing("GE", "restricted", "test")), ("GE", Crossing("RU", "open", "t"))],
        destinations=("DE",),
    )
    (route,) = plan_routes(RUSSIAN, hostile=HOSTILE, data=data).routes
    crossing, flight = route.legs
    assert (crossing.mode, crossing.from_country, crossing.to_country) == (LegMode.LAND, "RU", "GE")
    assert crossing.crossing_status == "restricted"
    assert crossing.entry is not None
    assert crossing.entry.country == "GE"
    assert (flight.mode, flight.from_place, flight.to_place) == (LegMode.AIR, "TBS", "FRA")
    assert route.transit_countries == ("GE",)


def test_it_leaves_out_a_closed_crossing():
    data = graph(["TBS-FRA"], land=[("RU", Crossing("GE", "closed", "test"))], destinations=("DE",))
    assert "RU" not in data.land
    assert plan_routes(RUSSIAN, hostile=HOSTILE, data=data).routes == ()


def test_it_does_not_offer_a_suspended_route():
    since = datetime.date(2022, 2, 27)
    suspended = [SuspendedRoute("RU", "DE", since, "EU Regulation 2022/334")]
    data = graph(["GRV-FRA"], destinations=("DE",), suspended=suspended)
    assert "GRV" not in data.flights
    plan = plan_routes(RUSSIAN, hostile=HOSTILE, data=data)
    assert plan.routes == ()
    assert reasons(plan) == {"DE": RejectionReason.NO_CONNECTION}
    assert plan.suspensions == (Suspension("RU", "DE", since, "EU Regulation 2022/334"),)


def test_it_goes_round_a_suspended_route():
    suspended = [SuspendedRoute("RU", "DE", None, "test")]
    data = graph(["GRV-FRA", "GRV-IST", "IST-FRA"], destinations=("DE",), suspended=suspended)
    (route,) = plan_routes(RUSSIAN, hostile=HOSTILE, data=data).routes
    assert route.key == "air:GRV>IST|air:IST>FRA"


def test_it_explains_every_destination_when_no_route_is_found():
    data = graph(
        ["SVO-IST"],
        visas={("RU", "NL"): VisaRule(Requirement.NO_ADMISSION)},
        destinations=("AE", "RU", "DE", "NL"),
    )
    plan = plan_routes(RUSSIAN, hostile=HOSTILE, data=data)
    assert plan.routes == ()
    assert not plan.no_passport
    assert reasons(plan) == {
        "AE": RejectionReason.CRIMINALISING_DESTINATION,
        "RU": RejectionReason.ORIGIN,
        "DE": RejectionReason.NO_CONNECTION,
        "NL": RejectionReason.NO_ADMISSION,
    }


def test_it_does_not_search_without_a_passport():
    data = graph(["GRV-FRA"])
    plan = plan_routes(Traveller("RU", "RU-CE", citizenships=("RU",)), hostile=HOSTILE, data=data)
    assert plan.no_passport
    assert plan.routes == ()


def test_it_finds_a_saved_route_again_by_its_key():
    data = graph(["GRV-IST", "IST-FRA", "IST-AMS", "SVO-AMS"])
    first = plan_routes(RUSSIAN, hostile=NOBODY_HOSTILE, data=data)
    again = plan_routes(RUSSIAN, hostile=NOBODY_HOSTILE, data=data)
    assert [r.key for r in first.routes] == [r.key for r in again.routes]
    assert {r.key: r for r in again.routes}[first.routes[0].key] == first.routes[0]


def test_it_counts_a_change_of_planes_and_the_way_to_the_airport():
    data = graph(["GRV-IST", "IST-FRA"], destinations=("DE",))
    (route,) = plan_routes(RUSSIAN, hostile=HOSTILE, data=data).routes
    flying = sum(leg.hours for leg in route.legs)
    assert 3.9 < route.hours - flying < 4.1  # 2 h to the airport, 2 h to change planes


def test_it_takes_at_most_four_flights():
    data = graph(["GRV-SVO", "SVO-TBS", "TBS-IST", "IST-AMS", "AMS-FRA"])
    plan = plan_routes(RUSSIAN, hostile=HOSTILE, data=data)
    (route,) = plan.routes
    assert route.key == "air:GRV>SVO|air:SVO>TBS|air:TBS>IST|air:IST>AMS"
    assert reasons(plan) == {"DE": RejectionReason.NO_CONNECTION}
