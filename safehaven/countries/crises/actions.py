"""Recording and changing a crisis."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from safehaven.accounts.actions import ActionRefused
from safehaven.accounts.models import Organisation, OrganisationKind, User
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.countries.models import Country, Crisis, Region


@dataclass(frozen=True)
class CrisisDetails:
    name: str
    countries: Iterable[Country]
    regions: Iterable[Region]
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    # The partner organisations working in the crisis (partners only).
    partner_organisations: Iterable[Organisation] = ()


def _check(details: CrisisDetails) -> None:
    if details.ends_on is not None and details.ends_on < details.starts_on:
        raise ActionRefused(_("A crisis cannot end before it starts."))
    countries = {country.iso2 for country in details.countries}
    if not countries:
        raise ActionRefused(_("Name at least one country."))
    if any(region.country_id not in countries for region in details.regions):
        raise ActionRefused(_("Each region must be in one of the crisis's countries."))
    if any(org.kind != OrganisationKind.PARTNER for org in details.partner_organisations):
        raise ActionRefused(_("Only partner organisations can work in a crisis."))


def _detail(crisis: Crisis) -> str:
    """Its places (ISO codes) and its partners by id: nothing anyone typed."""
    places = sorted(crisis.countries.values_list("iso2", flat=True))
    places += sorted(crisis.regions.values_list("code", flat=True))
    partners = sorted(crisis.partner_organisations.values_list("pk", flat=True))
    return " ".join(places) + "; partners " + (" ".join(map(str, partners)) or "none")


def _set_relations(crisis: Crisis, details: CrisisDetails) -> None:
    crisis.countries.set(list(details.countries))
    crisis.regions.set(list(details.regions))
    crisis.partner_organisations.set(list(details.partner_organisations))


def do_record_crisis(details: CrisisDetails, *, actor: User) -> Crisis:
    _check(details)
    with transaction.atomic():
        crisis = Crisis.objects.create(
            name=details.name,
            starts_on=details.starts_on,
            ends_on=details.ends_on,
            created_by=actor,
        )
        _set_relations(crisis, details)
        record_event(EventType.CRISIS_RECORDED, actor=actor, target=crisis, detail=_detail(crisis))
    return crisis


def do_change_crisis(crisis: Crisis, details: CrisisDetails, *, actor: User) -> Crisis:
    _check(details)
    with transaction.atomic():
        crisis.name = details.name
        crisis.starts_on = details.starts_on
        crisis.ends_on = details.ends_on
        crisis.save(update_fields=["name", "starts_on", "ends_on"])
        _set_relations(crisis, details)
        record_event(EventType.CRISIS_CHANGED, actor=actor, target=crisis, detail=_detail(crisis))
    return crisis
