"""Building the planner's page: the form (filled from the case on a first visit), and a plan
turned into what the page shows, every place named, every reason said in a sentence."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safehaven.accounts.access import current_user
from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.countries.models import Region
from safehaven.intake.submission.place_names import country_choices
from safehaven.intake.submission.region_names import region_name
from safehaven.keys.login_key import unlocked_private_key
from safehaven.travel.pathways.catalogue import pathways_without_passport
from safehaven.travel.planner.actions import do_plan_routes
from safehaven.travel.planner.forms import PlannerForm
from safehaven.travel.planner.prefill import planner_prefill
from safehaven.travel.routes.data import route_data
from safehaven.travel.routes.plan import (
    Entry,
    EntryBasis,
    HostilePlace,
    Leg,
    LegMode,
    Plan,
    Rejection,
    RejectionReason,
    Route,
)

TEMPLATE = "travel/planner.html"
# Planning is for a verified case that has not left yet (docs/cases.md, "A case's life").
PLANNING_STATES = frozenset(
    {CaseState.VERIFIED, CaseState.PLANNING, CaseState.TRAVEL_BOOKED, CaseState.IN_TRANSIT}
)


def _names() -> dict[str, str]:
    return dict(country_choices())


def _place(place: HostilePlace, names: dict[str, str]) -> str:
    country = names.get(place.country, place.country)
    if not place.region:
        return country
    region = Region.objects.filter(code=place.region).first()
    english = region.name if region is not None else place.region
    return f"{region_name(place.region, english)} ({country})"


def _basis(entry: Entry) -> str:
    labels = {
        EntryBasis.OWN_COUNTRY: _("own country, as a citizen"),
        EntryBasis.VISA_FREE: _("visa free"),
        EntryBasis.ETA: _("electronic travel authorisation (ETA)"),
        EntryBasis.E_VISA: _("e-visa"),
        EntryBasis.VISA_ON_ARRIVAL: _("visa on arrival"),
        EntryBasis.VISA_HELD: _("a visa or permit the person holds"),
    }
    label = str(labels[entry.basis])
    if entry.basis == EntryBasis.VISA_FREE and entry.days:
        label = ngettext("visa free for %(days)d day", "visa free for %(days)d days", entry.days)
        label = label % {"days": entry.days}
    return label


@dataclass(frozen=True)
class EntryView:
    country: str
    passport: str  # the passport's country, named; "" for a citizen entering their own
    basis: str
    needs_action: bool


@dataclass(frozen=True)
class LegView:
    air: bool
    start: str
    end: str
    hours: float
    restricted: bool
    entry: EntryView | None


@dataclass(frozen=True)
class RouteView:
    number: int
    key: str
    destination: str
    legs: list[LegView]
    transits: list[str]
    hostile: list[str]
    hours: float
    why: str


def _end(leg: Leg, start: bool, names: dict[str, str]) -> str:
    place, country = (leg.from_place, leg.from_country) if start else (leg.to_place, leg.to_country)
    name = names.get(country, country)
    return f"{place} ({name})" if leg.mode == LegMode.AIR else name


def _leg(leg: Leg, names: dict[str, str]) -> LegView:
    entry = None
    if leg.entry is not None:
        passport = leg.entry.passport
        entry = EntryView(
            country=names.get(leg.entry.country, leg.entry.country),
            passport=names.get(passport, passport) if passport else "",
            basis=_basis(leg.entry),
            needs_action=leg.entry.needs_action,
        )
    return LegView(
        air=leg.mode == LegMode.AIR,
        start=_end(leg, True, names),
        end=_end(leg, False, names),
        hours=leg.hours,
        restricted=leg.crossing_status == "restricted",
        entry=entry,
    )


def _why(route: Route, above: Route | None, hostile: list[str]) -> str:
    if route.flagged:
        return _(
            "Ranked after every route that avoids criminalising countries, because it passes "
            "through %(places)s."
        ) % {"places": ", ".join(hostile)}
    if above is None:
        return _("Ranked first: the quickest route found that avoids every criminalising country.")
    if above.hours < route.hours:
        return _("Avoids every criminalising country; ranked after the quicker routes above it.")
    return _("Avoids every criminalising country; about as quick as the route above it.")


def route_views(
    routes: tuple[Route, ...], names: dict[str, str], first: int = 1
) -> list[RouteView]:
    shown = []
    above = None
    for number, route in enumerate(routes, start=first):
        hostile = [_place(place, names) for place in route.hostile_transits]
        shown.append(
            RouteView(
                number=number,
                key=route.key,
                destination=names.get(route.destination, route.destination),
                legs=[_leg(leg, names) for leg in route.legs],
                transits=[names.get(code, code) for code in route.transit_countries],
                hostile=hostile,
                hours=route.hours,
                why=_why(
                    route, above if above is not None and not route.flagged else None, hostile
                ),
            )
        )
        above = route
    return shown


def rejection_text(rejection: Rejection, names: dict[str, str]) -> str:
    destination = names.get(rejection.destination, rejection.destination)
    passports = ", ".join(names.get(code, code) for code in rejection.passports) or _("none")
    texts = {
        RejectionReason.CRIMINALISING_DESTINATION: _(
            "%(destination)s: not offered, because it criminalises same-sex intimacy."
        ),
        RejectionReason.NO_ADMISSION: _(
            "%(destination)s: not offered, because it admits none of the passports considered "
            "(%(passports)s)."
        ),
        RejectionReason.VISA_NEEDED: _(
            "%(destination)s: not offered, because every passport considered (%(passports)s) "
            "needs a visa the person does not hold."
        ),
        RejectionReason.NO_CONNECTION: _(
            "%(destination)s: not offered: the person would be admitted, but no flight or open "
            "land crossing in the data reaches it."
        ),
        RejectionReason.ORIGIN: _("%(destination)s: not offered, because the person is there now."),
    }
    return texts[rejection.reason] % {"destination": destination, "passports": passports}


def plan_context(plan: Plan) -> dict[str, object]:
    names = _names()
    safe = route_views(plan.safe_routes, names)
    return {
        "plan": plan,
        "safe_routes": safe,
        "flagged_routes": route_views(plan.flagged_routes, names, first=len(safe) + 1),
        "rejections": [rejection_text(rejection, names) for rejection in plan.rejections],
        "suspensions": [
            (names.get(s.from_country, s.from_country), names.get(s.to_country, s.to_country), s)
            for s in plan.suspensions
        ],
        "pathways": pathways_without_passport() if plan.no_passport else [],
        "dates": route_data().dates,
    }


def _save_fields(form: PlannerForm) -> list[tuple[str, str]]:
    """The question again, as hidden inputs of each route's save form (a POST: never a URL)."""
    data = form.cleaned_data
    fields = [("origin_country", data["origin_country"]), ("origin_region", data["origin_region"])]
    for name in ("citizenships", "passports", "visas"):
        fields += [(name, code) for code in data[name]]
    return fields


def _render(request: HttpRequest, case: Case, context: dict[str, object]) -> HttpResponse:
    return render(request, TEMPLATE, {"case": case, **context})


def refused_page(request: HttpRequest, case: Case) -> HttpResponse:
    return _render(request, case, {"refused": True})


def planner_page(request: HttpRequest, case: Case) -> HttpResponse:
    """The empty question, filled from the case when the viewer's key is unlocked."""
    user = current_user(request)
    key = unlocked_private_key(request)
    if key is None:
        return _render(request, case, {"form": PlannerForm(), "no_key": True})
    with transaction.atomic():
        record_event(EventType.CASE_VIEWED, actor=user, organisation=case.organisation, target=case)
    prefill = planner_prefill(case, user=user, private_key=key)
    names = _names()
    return _render(
        request,
        case,
        {
            "form": PlannerForm(initial=prefill.initial),
            "prefill": prefill,
            # Only a hint when no passport is recorded: never taken for a valid passport.
            "citizenship_hint": []
            if prefill.documents
            else [names.get(code, code) for code in prefill.citizenships],
        },
    )


def planned_page(request: HttpRequest, case: Case, form: PlannerForm) -> HttpResponse:
    """The question as posted and, when it is valid, the ranked answer below it."""
    if not form.is_valid():
        return _render(request, case, {"form": form})
    plan = do_plan_routes(case, form.traveller(), actor=current_user(request))
    context = plan_context(plan)
    return _render(request, case, {"form": form, "save_fields": _save_fields(form), **context})
