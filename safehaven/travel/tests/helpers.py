"""Helpers for travel tests: a case assigned to the seeded caseworker."""

from __future__ import annotations

from typing import Any

from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import AssignmentRole
from safehaven.cases.models import Case, CasePerson
from safehaven.cases.tests.helpers import open_case
from safehaven.intake.tests.helpers import private_key


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
