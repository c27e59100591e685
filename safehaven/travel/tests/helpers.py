"""Helpers for travel tests: a case assigned to the seeded caseworker; for the planner's page,
a case opened after a call, its state set, the question posted and a hand-made plan put in
place of the search."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.models import Case, CasePerson
from safehaven.cases.opening.actions import CallDetails, do_open_case_from_call
from safehaven.cases.tests.helpers import open_case
from safehaven.intake.tests.helpers import private_key
from safehaven.travel.planner import actions as planner_actions
from safehaven.travel.routes.plan import (
    Entry,
    EntryBasis,
    HostilePlace,
    Leg,
    LegMode,
    Plan,
    Rejection,
    RejectionReason,
    Route,
    Suspension,
    Traveller,
)


def assigned_case(world: Any, **request: Any) -> Case:
    """A case opened by triage and assigned to the seeded caseworker."""
    case = open_case(world, **request)
    do_assign_case(
        case,
        user=world.users["caseworker"],
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    return case


def primary_person(case: Case) -> CasePerson:
    return case.people.get(is_primary=True)


def planner_url(case: Case) -> str:
    return f"/en/staff/cases/{case.pk}/travel/plan/"


def verified(case: Case, state: str = CaseState.VERIFIED) -> Case:
    Case.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    return case


def call_case(world, **details) -> Case:
    values: dict[str, Any] = {
        "country": "RU",
        "languages": ["ru"],
        "summary": "Called from a neighbour's phone.",
        "region": "Chechnya",
        "citizenships": "Russia, Georgia",
        "contacts": "",
        "risk_score": 50,
    } | details
    return do_open_case_from_call(
        CallDetails(**values), reason="A call.", actor=world.users["triage"]
    )


def selected(html: str, name: str) -> set[str]:
    """The values chosen in the select named ``name``."""
    block = html.split(f'name="{name}"')[1].split("</select>")[0]
    options = block.split('<option value="')[1:]
    return {part.split('"')[0] for part in options if '" selected>' in part} - {""}


QUESTION = {
    "origin_country": "RU",
    "origin_region": "RU-CE",
    "citizenships": ["RU"],
    "passports": ["RU"],
    "visas": ["DE"],
}


ISTANBUL = Route(
    destination="DE",
    legs=(
        Leg(
            LegMode.LAND,
            "RU",
            "GE",
            "RU",
            "GE",
            6.0,
            "open",
            Entry("GE", "RU", EntryBasis.VISA_FREE, 365),
        ),
        Leg(LegMode.AIR, "TBS", "IST", "GE", "TR", 2.5),
        Leg(
            LegMode.AIR,
            "IST",
            "FRA",
            "TR",
            "DE",
            3.5,
            entry=Entry("DE", "RU", EntryBasis.VISA_HELD),
        ),
    ),
    hours=14.0,
    transit_countries=("GE", "TR"),
)
ARMENIA = Route(
    destination="CA",
    legs=(
        Leg(
            LegMode.LAND,
            "RU",
            "GE",
            "RU",
            "GE",
            6.0,
            "restricted",
            Entry("GE", "RU", EntryBasis.E_VISA),
        ),
        Leg(LegMode.AIR, "TBS", "YYZ", "GE", "CA", 11.0, entry=Entry("CA", "RU", EntryBasis.ETA)),
    ),
    hours=19.0,
    transit_countries=("GE",),
)
THROUGH_DUBAI = Route(
    destination="BR",
    legs=(
        Leg(LegMode.AIR, "GRV", "DXB", "RU", "AE", 4.0),
        Leg(
            LegMode.AIR,
            "DXB",
            "GRU",
            "AE",
            "BR",
            14.0,
            entry=Entry("BR", "RU", EntryBasis.VISA_ON_ARRIVAL),
        ),
    ),
    hours=20.0,
    transit_countries=("AE",),
    hostile_transits=(HostilePlace("AE"), HostilePlace("RU", "RU-CE")),
)


def hand_plan(traveller: Traveller) -> Plan:
    return Plan(
        traveller=traveller,
        routes=(ISTANBUL, ARMENIA, THROUGH_DUBAI),
        rejections=(
            Rejection("JM", RejectionReason.CRIMINALISING_DESTINATION),
            Rejection("GB", RejectionReason.VISA_NEEDED, passports=("RU",)),
            Rejection("AR", RejectionReason.NO_CONNECTION),
        ),
        suspensions=(
            Suspension("RU", "FI", datetime.date(2022, 2, 27), "Council Regulation (EU) 2022/334"),
        ),
    )


def replace_search(monkeypatch: pytest.MonkeyPatch) -> list[Traveller]:
    """The search replaced by a hand-made plan; what it was asked is kept."""
    asked: list[Traveller] = []

    def plan_for(traveller: Traveller, *, on=None) -> Plan:
        asked.append(traveller)
        if not traveller.passports:
            return Plan(traveller=traveller, routes=(), no_passport=True)
        return hand_plan(traveller)

    monkeypatch.setattr(planner_actions, "plan_for", plan_for)
    return asked
