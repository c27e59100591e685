"""Helpers for the check-in tests: a case from a request with a check-in and a danger phrase,
verified, its saved route booked and confirmed ("travel booked"); windows given as a
caseworker gives them; the person checking in from their status page."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django.test import Client
from django.utils import timezone

from safehaven.accounts.models import User
from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.models import Case
from safehaven.cases.opening.actions import do_accept_help_request
from safehaven.cases.tests.verification_helpers import approved_in_place
from safehaven.intake.tests.helpers import latest_request, open_status, private_key, submit_request
from safehaven.travel.bookings.actions import do_confirm_booking
from safehaven.travel.check_ins.actions import do_schedule_check_ins
from safehaven.travel.check_ins.queries import OpenedCheckIn, open_check_in
from safehaven.travel.check_ins.tags import tag_check_in
from safehaven.travel.check_ins.windows import WindowAsked, known_time_zones
from safehaven.travel.choices import CheckInPoint
from safehaven.travel.compartment import open_travel
from safehaven.travel.models import Booking, ExpectedCheckIn
from safehaven.travel.saved_routes.actions import do_save_route
from safehaven.travel.tests.booking_helpers import as_user, book, fill_segment, tick_all
from safehaven.travel.tests.saved_route_helpers import SAFE, TRAVELLER, use_plan

PHRASE = "blue teapot"
DANGER = "green umbrella"
BEFORE = CheckInPoint.BEFORE_DEPARTURE
TRANSIT = CheckInPoint.TRANSIT
ARRIVAL = CheckInPoint.ARRIVAL


def journey_case(world: Any, monkeypatch: Any) -> tuple[Case, Booking, str]:
    """A case opened from a request with both phrases (the codename returned), given to the
    caseworker, verified, the SAFE route saved, booked and confirmed: "travel booked"."""
    use_plan(monkeypatch, SAFE)
    codename = submit_request(checkin_phrase=PHRASE, duress_phrase=DANGER)
    triage = {"actor": world.users["triage"], "private_key": private_key("triage")}
    case = do_accept_help_request(latest_request(), reason="Accepted at triage.", **triage)
    do_assign_case(case, user=world.users["caseworker"], role=AssignmentRole.CASEWORKER, **triage)
    approved_in_place(case)
    Case.objects.filter(pk=case.pk).update(state=CaseState.PLANNING)
    case.refresh_from_db()
    saved = do_save_route(case, traveller=TRAVELLER, route_key=SAFE.key, **as_user())
    booking = book(case, saved)
    fill_segment(booking, 1)
    fill_segment(booking, 2)
    tick_all(booking, case)
    do_confirm_booking(booking, **as_user())
    case.refresh_from_db()
    assert case.state == CaseState.TRAVEL_BOOKED
    return case, booking, codename


def wall_clock(zone: str = "UTC", hours: float = 0) -> datetime.datetime:
    """Now plus ``hours``, as a clock at ``zone`` shows it (naive), to the minute."""
    moment = timezone.now() + datetime.timedelta(hours=hours)
    local = moment.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)
    return local.replace(second=0, microsecond=0)


def window(
    point: str = BEFORE,
    *,
    opens_in: float = -1,
    hours: float = 3,
    zone: str = "UTC",
    place: str = "Grozny airport",
) -> WindowAsked:
    """A window opening ``opens_in`` hours from now (open now by default), ``hours`` long (at
    UTC for a zone nobody knows)."""
    opens = wall_clock(zone if zone in known_time_zones() else "UTC", opens_in)
    return WindowAsked(
        point=point,
        place=place,
        opens=opens,
        due_by=opens + datetime.timedelta(hours=hours),
        zone=zone,
    )


def schedule(booking: Booking, *windows: WindowAsked, username: str = "caseworker") -> list:
    return do_schedule_check_ins(booking, windows=list(windows), **as_user(username))


def check_in_from_status_page(codename: str, phrase: str = PHRASE) -> Any:
    response = open_status(Client(), codename, phrase=phrase)
    assert response.status_code == 302
    return response


def opened_check_in(row: ExpectedCheckIn, username: str = "caseworker") -> OpenedCheckIn:
    row = ExpectedCheckIn.objects.get(pk=row.pk)
    travel = open_travel(
        row.case, actor=User.objects.get(username=username), private_key=private_key(username)
    )
    assert travel is not None
    return open_check_in(row, travel)


def fresh(row: ExpectedCheckIn) -> ExpectedCheckIn:
    return ExpectedCheckIn.objects.get(pk=row.pk)


def retag(row: ExpectedCheckIn) -> ExpectedCheckIn:
    """Tag ``row`` as it is in the database now, as the application would have (for a test
    that sets up a state no action makes, such as a window already over)."""
    row = fresh(row)
    tag_check_in(row)
    row.save(update_fields=["tag"])
    return row
