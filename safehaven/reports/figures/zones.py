"""The time zone an organisation counts its months and years in (``ReportingSettings``), and
the month a moment falls in there."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.reports.models import ReportingSettings

UTC = ZoneInfo("UTC")


def zone_named(name: str) -> ZoneInfo:
    """The zone called ``name``; UTC for an empty or unknown name (a row a database writer
    altered must not stop every figure from being counted)."""
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def reporting_zones(organisation_ids: Iterable[int]) -> dict[int, ZoneInfo]:
    """Each organisation's reporting zone (UTC when it has no settings), in one query."""
    ids = set(organisation_ids)
    zones = dict.fromkeys(ids, UTC)
    rows = ReportingSettings.objects.filter(organisation_id__in=ids)
    for organisation_id, name in rows.values_list("organisation_id", "time_zone"):
        zones[organisation_id] = zone_named(name)
    return zones


def local_month(moment: datetime.datetime, zone: ZoneInfo) -> datetime.date:
    """The first day of the month ``moment`` falls in, in ``zone``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date().replace(day=1)


def reporting_zone(organisation: Organisation) -> ZoneInfo:
    """The organisation's reporting time zone (UTC until an administrator chooses one)."""
    return reporting_zones([organisation.pk])[organisation.pk]


def reporting_today(organisations: Sequence[Organisation] = ()) -> datetime.date:
    """Today where the first of ``organisations`` counts its years or, when none is given (the
    public page; a duress session's empty export), where the first relocating organisation
    does: late on 31 December in Toronto the year is still the old one, though UTC has moved
    on. The dashboard, the exports, the public page and the goals all agree on the day."""
    first = organisations[0] if organisations else None
    if first is None:
        relocating = Organisation.objects.filter(kind=OrganisationKind.RELOCATING)
        first = relocating.order_by("pk").first()
    zone = reporting_zone(first) if first is not None else UTC
    return timezone.now().astimezone(zone).date()
