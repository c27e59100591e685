"""The travel part of the leak scan's case (``leak_life.py`` has the rest): a pathway, a
travel document, a flagged route allowed by a supervisor, bookings with ticket files,
check-ins, the danger alert and its e-mails, arrival, follow-ups and a referral package; and
the whole life in order (``live_a_case``).
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from safehaven.cases.choices import CaseState
from safehaven.cases.compartments import open_casework
from safehaven.cases.models import Case
from safehaven.core.tests import leak_sentinels as typed
from safehaven.core.tests.leak_life import (
    Browser,
    Life,
    case_url,
    caseworker_closes,
    caseworker_verifies,
    finance_pays,
    person_writes_in,
    reports_exported,
    staff,
    today,
    triage_accepts,
    triage_takes_a_call,
)
from safehaven.intake.tests.helpers import open_status, private_key
from safehaven.travel.choices import ChecklistItem
from safehaven.travel.models import (
    Booking,
    CasePathway,
    ExpectedCheckIn,
    FollowUp,
    PathwayStep,
    SavedRoute,
    TicketFile,
)
from safehaven.travel.referral_packages.actions import do_make_referral_package
from safehaven.travel.referral_packages.contents import offered_pieces
from safehaven.travel.tests.saved_route_helpers import FLAGGED, save_post


def caseworker_plans(life: Life, world: Any) -> Booking:
    """A pathway with a step, a travel document, a flagged route allowed by a supervisor,
    and a booking of it with both segments, every document ticked, a ticket file; confirmed.
    (The planner's search is replaced by ``FLAGGED`` by the caller.)"""
    case = life.case
    worker = staff(life, world, "caseworker")
    worker.post(case_url(case, "move/"), {"to_state": "planning", "reason": typed.PLANNING_REASON})
    caseworker = world.users["caseworker"].pk
    worker.post(
        case_url(case, "travel/pathways/start/"),
        {"kind": "canada_gar", "owner": caseworker, "notes": typed.PATHWAY_NOTES},
    )
    step = PathwayStep.objects.filter(pathway__case=case).earliest("pk")
    worker.post(
        case_url(case, f"travel/pathways/steps/{step.pk}/"),
        {
            "outcome": "done",
            "done_on": today().isoformat(),
            "owner": caseworker,
            "note": typed.STEP_NOTE,
        },
    )
    main = case.people.get(is_primary=True)
    worker.post(
        case_url(case, "travel/documents/add/"),
        {
            "person": main.pk,
            "kind": "passport",
            "issuing_country": "RU",
            "for_country": "",
            "number": typed.DOCUMENT_NUMBER,
            "valid_until": (today() + datetime.timedelta(days=900)).isoformat(),
        },
    )
    worker.post(case_url(case, "travel/routes/save/"), save_post(FLAGGED))
    saved = SavedRoute.objects.get(case=case)
    staff(life, world, "supervisor").post(
        case_url(case, f"travel/routes/{saved.pk}/override/"), {"reason": typed.OVERRIDE_REASON}
    )
    worker.post(
        case_url(case, "travel/bookings/new/"),
        {"saved_route": saved.pk, "travellers": [main.pk]},
    )
    booking = Booking.objects.get(case=case)
    booking_url = case_url(case, f"travel/bookings/{booking.pk}/")
    for number in (1, 2):
        worker.post(
            booking_url + "segment/",
            {
                "segment": number,
                "from_place": typed.FROM_PLACE,
                "to_place": typed.TO_PLACE,
                "departs": "2027-01-10T06:30",
                "arrives": "2027-01-10T09:45",
                "carrier": typed.CARRIER,
                "reference": typed.BOOKING_REFERENCE,
            },
        )
    for item in ChecklistItem:
        worker.post(booking_url + "tick/", {"person": main.pk, "item": item.value})
    worker.post(booking_url + "tickets/add/", {"file": typed.ticket_upload(), "traveller": ""})
    worker.post(
        booking_url + "tickets/add/", {"file": typed.ticket_upload(typed.TICKET_NAME + "-2")}
    )
    removed = TicketFile.objects.filter(booking=booking).latest("pk")
    worker.post(booking_url + f"tickets/{removed.pk}/remove/", {"reason": typed.TICKET_REMOVAL})
    by_hand_and_cancelled(worker, case, main)
    worker.post(booking_url + "confirm/")
    assert Case.objects.get(pk=case.pk).state == CaseState.TRAVEL_BOOKED
    return booking


def by_hand_and_cancelled(worker: Browser, case: Case, main: Any) -> None:
    """A booking made by hand, its one segment between typed places; then cancelled."""
    worker.post(
        case_url(case, "travel/bookings/new/"), {"saved_route": "", "travellers": [main.pk]}
    )
    booking = Booking.objects.filter(case=case).latest("pk")
    booking_url = case_url(case, f"travel/bookings/{booking.pk}/")
    worker.post(
        booking_url + "segment/",
        {
            "segment": "",
            "from_place": typed.FROM_PLACE,
            "to_place": typed.TO_PLACE,
            "departs": "2027-01-11T06:30",
            "arrives": "2027-01-11T09:45",
            "carrier": typed.CARRIER,
            "reference": typed.BOOKING_REFERENCE,
        },
    )
    worker.post(booking_url + "cancel/", {"reason": typed.BOOKING_CANCELLED})


MINUTES = "%Y-%m-%dT%H:%M"


def person_travels(life: Life, world: Any, booking: Booking, person: Browser) -> None:
    """Check-ins scheduled at a named place, one of them cancelled; the person checks in
    with their phrase; in transit, the caseworker logs another by telephone, in danger: a
    worker sends the alert's e-mails, then it is acknowledged; arrived; the pathway ended; a
    follow-up logged with a note on every topic."""
    case = life.case
    worker = staff(life, world, "caseworker")
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    rows = [
        {
            "point": point,
            "place": typed.CHECK_IN_PLACE,
            "zone": "",
            "opens": (now - datetime.timedelta(hours=1)).strftime(MINUTES),
            "due_by": (now + datetime.timedelta(hours=2)).strftime(MINUTES),
        }
        for point in ("before_departure", "transit", "arrival")
    ]
    schedule: dict[str, Any] = {
        "zone": "UTC",
        "window-TOTAL_FORMS": len(rows),
        "window-INITIAL_FORMS": len(rows),
        "window-MIN_NUM_FORMS": 0,
        "window-MAX_NUM_FORMS": 20,
    }
    for number, row in enumerate(rows):
        schedule |= {f"window-{number}-{name}": value for name, value in row.items()}
    worker.post(case_url(case, f"travel/check-ins/booking/{booking.pk}/schedule/"), schedule)
    life.responses.append(open_status(Client(), life.codename, phrase=typed.CHECKIN_PHRASE))
    cancelled = ExpectedCheckIn.objects.filter(case=case).latest("position")
    worker.post(
        case_url(case, f"travel/check-ins/{cancelled.pk}/cancel/"),
        {"reason": typed.CHECK_IN_CANCELLED},
    )
    worker.post(case_url(case, "travel/check-ins/in-transit/"))
    waiting = ExpectedCheckIn.objects.filter(case=case, checked_in_at__isnull=True).earliest("pk")
    worker.post(
        case_url(case, f"travel/check-ins/{waiting.pk}/log/"),
        {"in_danger": "on", "note": typed.CHECK_IN_REPORT},
    )
    # A worker sends the alert's e-mails (queued as a task), before it is acknowledged.
    call_command("db_worker", batch=True, startup_delay=False, stdout=io.StringIO())
    for alert in case.journey_alerts.all():
        worker.post(case_url(case, f"travel/alerts/{alert.pk}/acknowledge/"))
    worker.post(
        case_url(case, "travel/arrival/"), {"reason": typed.ARRIVAL_REASON, "arrived_in": "CA"}
    )
    pathway = CasePathway.objects.get(case=case)
    worker.post(
        case_url(case, f"travel/pathways/{pathway.pk}/end/"),
        {"state": "succeeded", "reason": typed.PATHWAY_ENDED},
    )
    notes = {
        "housing": typed.HOUSING,
        "legal_status": typed.LEGAL,
        "health": typed.HEALTH,
        "emotional_support": typed.EMOTIONAL,
    }
    # The first follow-up only: once every one is logged the case closes by itself, and the
    # closing reason below would never be typed.
    first = FollowUp.objects.filter(case=case).earliest("due_on")
    worker.post(case_url(case, f"travel/follow-ups/{first.pk}/"), {"outcome": "done"} | notes)
    person.get("/en/status/request/")


def caseworker_refers(life: Life, world: Any) -> None:
    """A consent to a sponsor group, and a package of everything offered, as an archive
    encrypted to a passphrase (made by the action: the page asks both factors again)."""
    case = life.case
    main = case.people.get(is_primary=True)
    staff(life, world, "caseworker").post(
        case_url(case, "travel/referrals/consents/new/"),
        {
            "person": main.pk,
            "recipient_kind": "sponsor_group",
            "recipient_name": typed.RECIPIENT,
            "recipient_contact": typed.RECIPIENT_CONTACT,
            "how_given": typed.HOW_GIVEN,
            "note": typed.CONSENT_NOTE,
        },
    )
    keys = {"actor": world.users["caseworker"], "private_key": private_key("caseworker")}
    casework = open_casework(case, **keys)
    consent = case.referral_consents.get()
    chosen = [piece.key for piece in offered_pieces(case, casework=casework, **keys)]
    package = do_make_referral_package(
        case,
        consent=consent,
        chosen=chosen,
        package_format="archive",
        passphrase=typed.PASSPHRASE,
        **keys,
    )
    assert package.archive is not None
    life.disclosed["referral package"] = package.archive


def live_a_case(life: Life, world: Any) -> None:
    """The whole life, in order (the planner's search replaced by the caller)."""
    person = person_writes_in(life)
    triage_accepts(life, world, person)
    triage_takes_a_call(life, world)
    caseworker_verifies(life, world)
    booking = caseworker_plans(life, world)
    person_travels(life, world, booking, person)
    caseworker_refers(life, world)
    finance_pays(life, world)
    caseworker_closes(life, world)
    person.get("/en/status/request/")
    reports_exported(life, world)
