"""The demo's journey, through the real actions with the demo users' own keys: an on-call rota
for the demo organisation over the next 7 days (added by the supervisor), a case of the
caseworker's booked by hand (confirmed by the supervisor: a second look) with a boarding pass,
three check-ins (before departure missed, at the transit logged after a call, which moved the
case in transit, on arrival to come), the timer's work run once so the missed one raises an
alert, and a person's consent to share with UNHCR on the caseworker's verified case.

Called by ``travel.demo`` after the rest of the travel data. Everything here is invented.
"""

from __future__ import annotations

import datetime
import io
import zoneinfo
from types import SimpleNamespace
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.demo.invented import IR, STORIES, VERIFIED_PATH, DemoCase, draft
from safehaven.cases.demo.steps import _accept, _assign, _key, _user, _walk
from safehaven.cases.models import Case
from safehaven.core.coarse_time import hour_of
from safehaven.travel.alarms.actions import do_watch_journeys
from safehaven.travel.bookings.actions import (
    do_add_segment,
    do_book_route,
    do_confirm_booking,
    do_tick_document,
)
from safehaven.travel.check_ins import actions as check_in_actions
from safehaven.travel.check_ins.actions import do_log_check_in, do_schedule_check_ins
from safehaven.travel.check_ins.windows import WindowAsked
from safehaven.travel.choices import CheckInPoint, ChecklistItem, ReferralRecipient
from safehaven.travel.models import (
    Booking,
    ExpectedCheckIn,
    JourneyAlert,
    OnCallShift,
    ReferralConsent,
)
from safehaven.travel.on_call.actions import do_add_on_call_shift
from safehaven.travel.referral_packages.actions import do_record_referral_consent
from safehaven.travel.tickets.actions import do_add_ticket_file

S = CaseState
HOUR = datetime.timedelta(hours=1)
ROTA_DAYS = 7
# Called first, second and third: three different people of the demo organisation.
ROTA = ("triage", "caseworker", "supervisor")

# Where the journey goes and when, in hours from now: Tehran, a change at Yerevan, Vienna.
TEHRAN, YEREVAN, VIENNA = "Asia/Tehran", "Asia/Yerevan", "Europe/Vienna"
SEGMENTS = (
    ("Tehran IKA (demo)", TEHRAN, -3, "Yerevan EVN (demo)", YEREVAN, -1, "DM 417"),
    ("Yerevan EVN (demo)", YEREVAN, 2, "Vienna VIE (demo)", VIENNA, 6, "DM 822"),
)
# Each check-in: where in the journey, the place, its zone, opening and due (hours from now).
WINDOWS = (
    (CheckInPoint.BEFORE_DEPARTURE, "Tehran IKA (demo)", TEHRAN, -6, -3),
    (CheckInPoint.TRANSIT, "Yerevan EVN (demo)", YEREVAN, -1, 2),
    (CheckInPoint.ARRIVAL, "Vienna VIE (demo)", VIENNA, 6, 12),
)
# The check-ins were scheduled "the evening before": the real action refuses a window that is
# over, so the demo runs it with the clock it reads this many hours back.
SCHEDULED_HOURS_AGO = 12


def _wall_clock(now: datetime.datetime, hours: int, zone: str) -> datetime.datetime:
    """``now`` plus ``hours`` as a clock at ``zone`` shows it (naive), as a ticket gives it."""
    moment = now + hours * HOUR
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None, second=0, microsecond=0)


def _boarding_pass() -> SimpleUploadedFile:
    image = Image.new("RGB", (120, 48), (245, 245, 235))
    image.paste((20, 60, 140), (0, 0, 120, 12))  # the airline's band
    image.paste((30, 30, 30), (8, 20, 70, 40))  # a "barcode"
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("boarding-pass-demo.png", out.getvalue(), "image/png")


def _add_rota(organisation: Organisation) -> None:
    start = hour_of(timezone.now())
    for position, username in enumerate(ROTA, start=1):
        do_add_on_call_shift(
            organisation,
            user=_user(username),
            starts_at=start,
            ends_at=start + ROTA_DAYS * 24 * HOUR + HOUR,  # to the hour after a week from now
            position=position,
            actor=_user("supervisor"),
        )


def _journey_case() -> Case:
    """A new case of the caseworker's, from an invented request, verified and being planned."""
    story, languages = STORIES[IR]
    case, _codename = _accept(draft(story, IR, languages, passport="valid"))
    _assign(case, "caseworker", AssignmentRole.CASEWORKER)
    _walk(case, DemoCase("journey", IR, [*VERIFIED_PATH, S.PLANNING], caseworker=True))
    case.refresh_from_db()
    return case


def _confirmed_booking(case: Case, now: datetime.datetime) -> Booking:
    """Booked by hand by the caseworker, confirmed by the supervisor: "travel booked"."""
    actor, key = _user("caseworker"), _key("caseworker")
    booking = do_book_route(
        case, saved_route=None, travellers=list(case.people.all()), actor=actor, private_key=key
    )
    for from_place, from_zone, departs, to_place, to_zone, arrives, flight in SEGMENTS:
        do_add_segment(
            booking,
            segment=None,
            from_place=from_place,
            to_place=to_place,
            departs=_wall_clock(now, departs, from_zone),
            arrives=_wall_clock(now, arrives, to_zone),
            carrier=f"Demo Air {flight}",
            reference="DEMO7Q",
            actor=actor,
            private_key=key,
        )
    for person in case.people.all():
        for item in ChecklistItem:
            do_tick_document(booking, person=person, item=item.value, actor=actor, private_key=key)
    main = case.people.get(is_primary=True)
    do_add_ticket_file(
        booking, upload=_boarding_pass(), traveller=main, actor=actor, private_key=key
    )
    return do_confirm_booking(booking, actor=_user("supervisor"), private_key=_key("supervisor"))


def _check_ins(booking: Booking, now: datetime.datetime) -> None:
    """Schedule the three, log the transit one after a call (the case moves in transit) and
    run the timer's work once: the missed one raises an alert."""
    windows = [
        WindowAsked(
            point=point,
            place=place,
            opens=_wall_clock(now, opens, zone),
            due_by=_wall_clock(now, due, zone),
            zone=zone,
        )
        for point, place, zone, opens, due in WINDOWS
    ]
    earlier = SimpleNamespace(now=lambda: now - SCHEDULED_HOURS_AGO * HOUR)
    with mock.patch.object(check_in_actions, "timezone", earlier):
        rows = do_schedule_check_ins(
            booking, windows=windows, actor=_user("caseworker"), private_key=_key("caseworker")
        )
    do_log_check_in(
        rows[1],
        in_danger=False,
        note="Called from the transit lounge: all well, boarding soon (demo).",
        actor=_user("caseworker"),
        private_key=_key("caseworker"),
    )
    do_watch_journeys()


def _unhcr_consent(case: Case) -> None:
    do_record_referral_consent(
        case,
        person=case.people.get(is_primary=True),
        recipient_kind=ReferralRecipient.UNHCR,
        recipient_name="UNHCR resettlement unit (demo)",
        recipient_contact="The office's referral address, given by phone (demo)",
        how_given="Said yes on a video call, with the interpreter (demo)",
        note="",
        actor=_user("caseworker"),
        private_key=_key("caseworker"),
    )


def add_demo_journey() -> None:
    """Whatever of the journey is missing: the rota (again once its week is over), the journey,
    the consent to UNHCR on the caseworker's verified case (while one is verified)."""
    organisation = Organisation.objects.filter(kind=OrganisationKind.RELOCATING).earliest("pk")
    if not OnCallShift.objects.filter(
        organisation=organisation, ends_at__gt=timezone.now()
    ).exists():
        _add_rota(organisation)
    if not Booking.objects.exists():
        now = timezone.now()
        _check_ins(_confirmed_booking(_journey_case(), now), now)
    verified = (
        Case.objects.filter(state=S.VERIFIED, assignments__user__username="caseworker")
        .order_by("pk")
        .first()
    )
    unhcr = ReferralConsent.objects.filter(recipient_kind=ReferralRecipient.UNHCR)
    if verified is not None and not unhcr.exists():
        _unhcr_consent(verified)


def describe_demo_journey(base_url: str) -> list[str]:
    journey = ExpectedCheckIn.objects.order_by("pk").values_list("case_id", flat=True).first()
    consent = ReferralConsent.objects.filter(recipient_kind=ReferralRecipient.UNHCR).first()
    lines = []
    if journey is not None:
        waiting = JourneyAlert.objects.filter(case_id=journey, acknowledged_at__isnull=True)
        count = waiting.count()
        alerts = {0: "no alert waiting", 1: "an alert waiting"}.get(
            count, f"{count} alerts waiting"
        )
        lines += [
            f"Journey: case #{journey} has {alerts} (a missed check-in); the caseworker's, "
            f"triage's (on call) and the supervisor's home pages show it: {base_url}/en/staff/",
            "  Its check-ins, booking and boarding pass are on the case page; the on-call rota: "
            f"{base_url}/en/staff/on-call/",
        ]
    if consent is not None:
        lines.append(
            f"  Case #{consent.case_id} has the person's consent to share with UNHCR: make a "
            "referral package from its Referrals panel."
        )
    return lines
