"""Applying the shipped files, audited (the data migration applies them without an event)."""

from __future__ import annotations

from django.db import transaction

from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.countries.loading import Plan, apply_load
from safehaven.countries.models import Country, Region, RiskFact


def do_load_country_facts(plan: Plan) -> None:
    if not plan.changes:
        return
    with transaction.atomic():
        apply_load(plan, Country, Region, RiskFact)
        record_event(
            EventType.COUNTRY_FACTS_LOADED,
            target_type="riskfact",
            detail=f"{len(plan.new_facts)} added, {len(plan.changed_facts)} changed",
        )
