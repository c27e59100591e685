"""Running the planner for a case: the search, and its audit event (no place in it)."""

from __future__ import annotations

from django.db import transaction

from safehaven.accounts.models import User
from safehaven.cases.models import Case
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.travel.routes.plan import Plan, Traveller
from safehaven.travel.routes.planning import plan_for


def do_plan_routes(case: Case, traveller: Traveller, *, actor: User) -> Plan:
    """The ranked routes for ``traveller``; nothing is stored but the event that someone
    planned for the case, whose detail names no place (SECURITY.md, "What is sealed and what
    is in clear")."""
    plan = plan_for(traveller)
    with transaction.atomic():
        record_event(
            EventType.ROUTES_PLANNED, actor=actor, organisation=case.organisation, target=case
        )
    return plan
