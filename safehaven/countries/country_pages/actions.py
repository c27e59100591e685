"""Changing a risk fact: the current one is closed the day before, the new one added."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.actions import ActionRefused
from safehaven.accounts.models import User
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.countries.choices import VALUES_OF_KIND
from safehaven.countries.models import RiskFact


@dataclass(frozen=True)
class FactChange:
    value: str
    for_whom: str
    summary: str
    source: str
    source_year: int
    valid_from: datetime.date
    prison_years: int | None = None


def do_change_risk_fact(fact: RiskFact, change: FactChange, *, actor: User) -> RiskFact:
    """Close ``fact`` (the current one of its series) the day before ``change.valid_from`` and
    add the new fact. History is kept: no fact is ever edited in place."""
    if change.value not in VALUES_OF_KIND.get(fact.kind, frozenset()):
        raise ActionRefused(_("This value does not fit this kind of fact."))
    with transaction.atomic():
        current = (
            RiskFact.objects.select_for_update()
            .filter(country=fact.country, region=fact.region, kind=fact.kind, valid_to__isnull=True)
            .order_by("-valid_from")
            .first()
        )
        if current is None or current.pk != fact.pk:
            raise ActionRefused(_("Only the current fact can be changed; this one is history."))
        if change.valid_from <= current.valid_from:
            raise ActionRefused(
                _("The change must start after the current fact, which is valid from %(day)s.")
                % {"day": current.valid_from.isoformat()}
            )
        current.valid_to = change.valid_from - datetime.timedelta(days=1)
        current.save(update_fields=["valid_to"])
        new = RiskFact.objects.create(
            country=fact.country,
            region=fact.region,
            kind=fact.kind,
            value=change.value,
            prison_years=change.prison_years,
            for_whom=change.for_whom,
            summary=change.summary,
            source=change.source,
            source_year=change.source_year,
            valid_from=change.valid_from,
            changed_by=actor,
            changed_at=timezone.now(),
        )
        record_event(
            EventType.COUNTRY_FACT_CHANGED,
            actor=actor,
            target=new,
            detail=f"{fact.country_id} {fact.region_id or ''} {fact.kind}: "
            f"{current.value} -> {new.value} from {new.valid_from.isoformat()}",
        )
    return new
