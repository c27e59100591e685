"""Which crisis a place falls in on a given day: how a new request gets its crisis tag, and
which crises have a public page."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from safehaven.countries.models import Crisis


def crises_active_on(on: datetime.date) -> QuerySet[Crisis]:
    """The crises that have started by ``on`` and not ended before it."""
    return Crisis.objects.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def is_active_on(crisis: Crisis, on: datetime.date) -> bool:
    """What ``crises_active_on`` says of one crisis already loaded."""
    return crisis.starts_on <= on and (crisis.ends_on is None or crisis.ends_on >= on)


def active_crisis_for(
    country_code: str, region_code: str | None, on: datetime.date
) -> Crisis | None:
    """The crisis active on ``on`` whose places hold the country (and, where the crisis names
    regions of that country, the region); the one that started last when several do."""
    active = crises_active_on(on).filter(countries=country_code).prefetch_related("regions")
    for crisis in active.order_by("-starts_on", "-pk"):
        named = {
            region.code for region in crisis.regions.all() if region.country_id == country_code
        }
        if not named or (region_code is not None and region_code in named):
            return crisis
    return None
