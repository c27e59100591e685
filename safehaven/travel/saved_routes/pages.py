"""What the saved-routes panel and the printable summary show of an opened route: places
named in the page's language, each leg's way in, and what must be checked before booking."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safehaven.countries.models import Region
from safehaven.intake.submission.place_names import country_choices
from safehaven.intake.submission.region_names import region_name
from safehaven.travel.routes.plan import EntryBasis, Leg, LegMode
from safehaven.travel.saved_routes.queries import OpenedRoute

ENTRY_LABELS: dict[EntryBasis, Promise] = {
    EntryBasis.OWN_COUNTRY: _("own country"),
    EntryBasis.VISA_FREE: _("visa free"),
    EntryBasis.ETA: _("electronic travel authorisation (ETA) needed"),
    EntryBasis.E_VISA: _("e-visa needed"),
    EntryBasis.VISA_ON_ARRIVAL: _("visa on arrival"),
    EntryBasis.VISA_HELD: _("visa held"),
}


@dataclass(frozen=True)
class LegView:
    leg: Leg
    by_air: bool
    from_name: str
    to_name: str
    entry: str  # how the person enters ``to_country``, "" when they only pass an airport
    needs_action: bool
    passport_name: str


@dataclass(frozen=True)
class RouteView:
    opened: OpenedRoute
    destination_name: str
    origin_name: str
    # The sealed question the route was planned for: where the person starts (with the
    # region, which decides which airports count as hostile) and the papers considered.
    origin_place: str
    passport_names: list[str]
    visa_names: list[str]
    legs: list[LegView]
    transit_names: list[str]
    hostile_names: list[str]


def _namer() -> dict[str, str]:
    return dict(country_choices())


def _origin_place(country: str, region: str, names: dict[str, str]) -> str:
    country_name = names.get(country, country)
    if not region:
        return country_name
    known = Region.objects.filter(code=region).first()
    english = known.name if known is not None else region
    return f"{region_name(region, english)} ({country_name})"


def _leg_view(leg: Leg, names: dict[str, str]) -> LegView:
    entry = leg.entry
    return LegView(
        leg=leg,
        by_air=leg.mode == LegMode.AIR,
        from_name=names.get(leg.from_country, leg.from_country),
        to_name=names.get(leg.to_country, leg.to_country),
        entry="" if entry is None else str(ENTRY_LABELS[entry.basis]),
        needs_action=entry is not None and entry.needs_action,
        passport_name="" if entry is None else names.get(entry.passport, entry.passport),
    )


def route_view(opened: OpenedRoute, names: dict[str, str] | None = None) -> RouteView | None:
    """The view of an opened route, or None for a damaged one (nothing of it is shown)."""
    if opened.content is None:
        return None
    names = _namer() if names is None else names
    route, traveller = opened.content.route, opened.content.traveller
    places = [
        names.get(place.country, place.country) + (f" ({place.region})" if place.region else "")
        for place in route.hostile_transits
    ]
    return RouteView(
        opened=opened,
        destination_name=names.get(route.destination, route.destination),
        origin_name=names.get(traveller.origin_country, traveller.origin_country),
        origin_place=_origin_place(traveller.origin_country, traveller.origin_region, names),
        passport_names=[names.get(code, code) for code in traveller.passports],
        visa_names=[names.get(code, code) for code in traveller.visas],
        legs=[_leg_view(leg, names) for leg in route.legs],
        transit_names=[names.get(code, code) for code in route.transit_countries],
        hostile_names=places,
    )


def route_views(opened_routes: list[OpenedRoute]) -> list[tuple[OpenedRoute, RouteView | None]]:
    names = _namer()
    return [(opened, route_view(opened, names)) for opened in opened_routes]
