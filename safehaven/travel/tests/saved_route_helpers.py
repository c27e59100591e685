"""Helpers for the saved-route tests: a verified case, and a planner answer built by hand
(so the tests do not depend on the shipped data) put in place of the real search."""

from __future__ import annotations

from typing import Any

from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case
from safehaven.cases.tests.verification_helpers import approved_in_place, case_in_verification
from safehaven.travel.routes import planning
from safehaven.travel.routes.plan import (
    Entry,
    EntryBasis,
    HostilePlace,
    Leg,
    LegMode,
    Plan,
    Route,
    Traveller,
)

TRAVELLER = Traveller(
    origin_country="RU", origin_region="RU-CE", passports=("RU",), citizenships=("RU",)
)

# Grozny to Berlin through Yerevan: avoids every criminalising country.
SAFE = Route(
    destination="DE",
    legs=(
        Leg(
            LegMode.AIR,
            "GRV",
            "EVN",
            "RU",
            "AM",
            2.0,
            entry=Entry("AM", "RU", EntryBasis.VISA_FREE, 180),
        ),
        Leg(
            LegMode.AIR,
            "EVN",
            "BER",
            "AM",
            "DE",
            4.5,
            entry=Entry("DE", "RU", EntryBasis.VISA_HELD),
        ),
    ),
    hours=8.5,
    transit_countries=("AM",),
)
# Through Dubai: flagged, waits for a supervisor's override.
FLAGGED = Route(
    destination="CA",
    legs=(
        Leg(LegMode.AIR, "GRV", "DXB", "RU", "AE", 4.0),
        Leg(LegMode.AIR, "DXB", "YYZ", "AE", "CA", 14.0, entry=Entry("CA", "RU", EntryBasis.ETA)),
    ),
    hours=20.0,
    transit_countries=("AE",),
    hostile_transits=(HostilePlace("AE"),),
)
# Every airport code and country name of the two routes, for the pages that must show none.
ROUTE_WORDS = (
    "GRV",
    "EVN",
    "BER",
    "DXB",
    "YYZ",
    "Armenia",
    "Germany",
    "United Arab Emirates",
    "Canada",
)


def use_plan(monkeypatch: Any, *routes: Route) -> list[Traveller]:
    """The planner answers ``routes`` to every question; returns the questions it was asked."""
    asked: list[Traveller] = []

    def plan(traveller: Traveller, *, on: Any = None) -> Plan:
        asked.append(traveller)
        return Plan(traveller=traveller, routes=routes)

    monkeypatch.setattr(planning, "plan_for", plan)
    return asked


def verified_case(world: Any, **request: Any) -> Case:
    """A case given to the caseworker, its verification approved by the supervisor."""
    case = case_in_verification(world, **request)
    approved_in_place(case)
    Case.objects.filter(pk=case.pk).update(state=CaseState.VERIFIED)
    case.refresh_from_db()
    return case


def save_post(route: Route, traveller: Traveller = TRAVELLER) -> dict[str, object]:
    return {
        "origin_country": traveller.origin_country,
        "origin_region": traveller.origin_region,
        "citizenships": list(traveller.citizenships),
        "passports": list(traveller.passports),
        "visas": list(traveller.visas),
        "route_key": route.key,
    }


def verified_case_with_codename(world: Any) -> tuple[Case, str]:
    """A verified case (as ``verified_case``) and the codename of its person's request."""
    from safehaven.cases.assignment.actions import do_assign_case
    from safehaven.cases.choices import AssignmentRole
    from safehaven.cases.opening.actions import do_accept_help_request
    from safehaven.intake.tests.helpers import latest_request, private_key, submit_request

    codename = submit_request()
    triage = {"actor": world.users["triage"], "private_key": private_key("triage")}
    case = do_accept_help_request(latest_request(), reason="Accepted at triage.", **triage)
    do_assign_case(case, user=world.users["caseworker"], role=AssignmentRole.CASEWORKER, **triage)
    approved_in_place(case)
    Case.objects.filter(pk=case.pk).update(state=CaseState.VERIFIED)
    case.refresh_from_db()
    return case, codename
