"""Which crisis a place falls in on a given day: how a new request gets its crisis tag."""

from __future__ import annotations

import datetime

from django.db.models import Q

from safehaven.countries.models import Crisis


def active_crisis_for(
    country_code: str, region_code: str | None, on: datetime.date
) -> Crisis | None:
    """The crisis active on ``on`` whose places hold the country (and, where the crisis names
    regions of that country, the region); the one that started last when several do."""
    active = Crisis.objects.filter(
        Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on), countries=country_code
    ).prefetch_related("regions")
    for crisis in active.order_by("-starts_on", "-pk"):
        named = {
            region.code for region in crisis.regions.all() if region.country_id == country_code
        }
        if not named or (region_code is not None and region_code in named):
            return crisis
    return None
