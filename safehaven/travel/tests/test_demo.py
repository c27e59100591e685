"""The demo's travel data: pathways, travel documents and saved routes added to the demo cases
by the real actions; the demo caseworker's own key opens each saved route, and their own page
reminds them of the overdue step and the passport to renew. The journey: an on-call rota, a
booked case with a ticket file and three check-ins (one logged after a call, one missed whose
alert waits on the staff home pages, one to come), and a consent to share with UNHCR."""

import datetime
import time

import pytest
from django.test import Client
from django.utils import timezone

from safehaven.accounts.demo import demo_password, demo_totp_secret
from safehaven.accounts.models import User
from safehaven.accounts.seed import current_totp
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.compartments import open_casework
from safehaven.cases.demo.steps import describe_demo_cases
from safehaven.cases.models import Case
from safehaven.core.crypto import unprotect_with_password
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.demo import describe_demo_requests
from safehaven.keys.models import UserKeyPair
from safehaven.travel.alarms.actions import do_watch_journeys
from safehaven.travel.alarms.queries import alerts_for
from safehaven.travel.bookings.queries import open_booking
from safehaven.travel.check_ins.queries import open_check_ins
from safehaven.travel.choices import (
    AlertKind,
    BookingStatus,
    CheckInVia,
    PathwayState,
    ReferralRecipient,
    RouteStatus,
    StepOutcome,
    TravelDocumentKind,
)
from safehaven.travel.compartment import open_travel
from safehaven.travel.demo import describe_demo_travel
from safehaven.travel.models import (
    Booking,
    CasePathway,
    ExpectedCheckIn,
    JourneyAlert,
    OnCallShift,
    PathwayStep,
    ReferralConsent,
    SavedRoute,
    TicketFile,
    TravelDocument,
)
from safehaven.travel.referral_packages.queries import valid_consent
from safehaven.travel.reminders import travel_reminders
from safehaven.travel.saved_routes.queries import open_saved_route
from safehaven.travel.tickets.actions import do_open_ticket_file

pytestmark = pytest.mark.django_db

BASE = "http://localhost:8000"


def _caseworker():
    pair = UserKeyPair.objects.select_related("user").get(user__username="caseworker")
    key = unprotect_with_password(bytes(pair.protected_private_key), demo_password("caseworker"))
    return pair.user, key


def _home_page(username: str) -> str:
    """The staff home page of a demo account, logged in with its password and a TOTP code."""
    user = User.objects.get(username=username)
    client = Client()
    response = client.post(
        "/en/accounts/login/", {"login": user.email, "password": demo_password(username)}
    )
    assert response.status_code == 302
    for _attempt in range(2):
        code = current_totp(demo_totp_secret(user))
        if client.post("/en/accounts/2fa/authenticate/", {"code": code}).status_code == 302:
            page = client.get("/en/staff/")
            assert page.status_code == 200
            return page.content.decode()
        time.sleep(1)  # a code made as the 30-second period turned
    raise AssertionError(f"{username} could not log in")


def test_it_adds_travel_data_that_the_caseworker_opens(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    describe_demo_requests(BASE)
    describe_demo_cases(BASE)
    text = "\n".join(describe_demo_travel(BASE))

    today = timezone.localdate()
    for state in (CaseState.VERIFIED, CaseState.PLANNING, CaseState.TRAVEL_BOOKED):
        assert CasePathway.objects.filter(case__state=state).exists(), state
    assert CasePathway.objects.filter(state=PathwayState.SUCCEEDED).exists()
    assert PathwayStep.objects.filter(outcome=StepOutcome.DONE).exists()
    assert TravelDocument.objects.filter(kind=TravelDocumentKind.PASSPORT).count() >= 2
    assert TravelDocument.objects.filter(kind=TravelDocumentKind.VISA).exists()
    assert AuditEvent.objects.filter(event_type=EventType.PATHWAY_SHEET_SENT).exists()
    assert "Travel: pathways" in text

    worker, key = _caseworker()
    reminders = travel_reminders(worker, Case.objects.filter(assignments__user=worker), today)
    assert any(step.due_on < today for step in reminders["steps"])  # type: ignore[attr-defined]
    assert [d.kind for d in reminders["documents"]] == [TravelDocumentKind.PASSPORT]  # type: ignore[attr-defined]

    statuses = set(SavedRoute.objects.values_list("status", flat=True))
    assert statuses == {RouteStatus.SAVED, RouteStatus.NEEDS_OVERRIDE}
    for saved in SavedRoute.objects.select_related("case"):
        assert saved.case.assignments.filter(user=worker, role=AssignmentRole.CASEWORKER).exists()
        travel = open_travel(saved.case, actor=worker, private_key=key)
        assert travel is not None
        content = open_saved_route(saved, travel).content
        assert content is not None, saved
        assert content.route.flagged == (saved.status == RouteStatus.NEEDS_OVERRIDE)

    counts = (CasePathway.objects.count(), TravelDocument.objects.count())
    describe_demo_travel(BASE)
    assert (CasePathway.objects.count(), TravelDocument.objects.count()) == counts


def test_it_adds_a_journey_whose_missed_check_in_waits_on_the_staff_home_pages(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    describe_demo_requests(BASE)
    describe_demo_cases(BASE)
    text = "\n".join(describe_demo_travel(BASE))
    now = timezone.now()

    # The rota: three different people, called in turn, from now for the next 7 days.
    shifts = list(OnCallShift.objects.order_by("position").select_related("user"))
    supervisor = User.objects.get(username="supervisor")
    assert [(shift.position, shift.user.username) for shift in shifts] == [
        (1, "triage"),
        (2, "caseworker"),
        (3, "supervisor"),
    ]
    for shift in shifts:
        assert shift.starts_at <= now
        assert shift.ends_at >= now + datetime.timedelta(days=7)
        assert shift.added_by_id == supervisor.pk
    assert AuditEvent.objects.filter(event_type=EventType.ON_CALL_SHIFT_ADDED).count() == 3

    # The journey: the caseworker's case, booked and confirmed, a ticket file, in transit.
    booking = Booking.objects.select_related("case").get()
    case = booking.case
    assert case.state == CaseState.IN_TRANSIT
    assert booking.status == BookingStatus.CONFIRMED
    worker, key = _caseworker()
    assert case.assignments.filter(user=worker, role=AssignmentRole.CASEWORKER).exists()
    travel = open_travel(case, actor=worker, private_key=key)
    assert travel is not None
    assert open_booking(booking, travel).content is not None
    ticket = do_open_ticket_file(
        TicketFile.objects.get(booking=booking), actor=worker, private_key=key
    )
    assert ticket.content.startswith(b"\x89PNG")

    # Its check-ins: one logged after a call, one missed, one to come; every one genuine.
    before, transit, arrival = open_check_ins(case, travel)
    assert not any(item.forged for item in (before, transit, arrival))
    assert before.row.is_waiting
    assert before.row.due_by < now
    assert transit.row.checked_in_via == CheckInVia.CALL
    assert transit.report is not None
    assert not transit.report.danger
    assert arrival.row.is_waiting
    assert arrival.row.opens_at > now
    alert = JourneyAlert.objects.get()
    assert (alert.case_id, alert.expected_id, alert.kind) == (
        case.pk,
        before.row.pk,
        AlertKind.MISSED,
    )
    assert alert.acknowledged_at is None

    # The caseworker (assigned), triage (on call) and the supervisor see it; finance does not.
    for username in ("caseworker", "triage", "supervisor"):
        assert alert in alerts_for(User.objects.get(username=username), now), username
    assert alert not in alerts_for(User.objects.get(username="finance"), now)
    for username in ("caseworker", "triage"):
        assert f"Alert on case #{case.pk}" in _home_page(username), username
    assert f"Journey: case #{case.pk} has an alert waiting" in text

    # A person's consent to share with UNHCR, on the caseworker's verified case.
    consent = ReferralConsent.objects.get(recipient_kind=ReferralRecipient.UNHCR)
    verified = consent.case
    assert verified.state == CaseState.VERIFIED
    casework = open_casework(verified, actor=worker, private_key=key)
    person = verified.people.get(is_primary=True)
    assert valid_consent(verified, person, ReferralRecipient.UNHCR, casework) is not None
    assert f"Case #{verified.pk} has the person's consent to share with UNHCR" in text

    # Loading again adds nothing, and the timer finds nothing more to raise.
    counts = [
        model.objects.count()
        for model in (Case, OnCallShift, Booking, ExpectedCheckIn, JourneyAlert, ReferralConsent)
    ]
    again = "\n".join(describe_demo_travel(BASE))
    assert [
        model.objects.count()
        for model in (Case, OnCallShift, Booking, ExpectedCheckIn, JourneyAlert, ReferralConsent)
    ] == counts
    assert f"Journey: case #{case.pk} has an alert waiting" in again
    assert do_watch_journeys().raised == 0
