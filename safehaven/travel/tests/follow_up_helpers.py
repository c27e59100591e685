"""Helpers for the follow-ups' tests: a case in transit, its verification approved."""

from __future__ import annotations

from typing import Any

from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case
from safehaven.intake.tests.helpers import private_key
from safehaven.travel.follow_ups.actions import do_confirm_arrival, do_log_follow_up
from safehaven.travel.models import FollowUp
from safehaven.travel.tests.saved_route_helpers import verified_case

ARRIVAL = "Sentinel Wexmoor: called from the shelter on arrival"


def worker(world: Any) -> dict[str, Any]:
    return {"actor": world.users["caseworker"], "private_key": private_key("caseworker")}


def in_transit_case(world: Any, **request: Any) -> Case:
    """A case given to the caseworker, verified, then put in transit directly."""
    case = verified_case(world, **request)
    Case.objects.filter(pk=case.pk).update(state=CaseState.IN_TRANSIT)
    case.refresh_from_db()
    return case


def arrived_case(world: Any) -> tuple[Case, list[FollowUp]]:
    case = in_transit_case(world)
    rows = do_confirm_arrival(case, reason=ARRIVAL, **worker(world))
    return case, rows


def log(world: Any, row: FollowUp, outcome: str = "done", **notes: str) -> FollowUp:
    return do_log_follow_up(row, outcome=outcome, notes=notes, **worker(world))
