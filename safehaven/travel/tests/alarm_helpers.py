"""Helpers for the alarm and on-call tests: a case in transit with a booking entered by hand,
expected check-ins sealed in its travel compartment as the models demand, a check-in as the
person's status page makes one (each tagged as the application tags them), the timer's work
run with its commit hooks, and shifts."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core import mail
from django.test import TestCase
from django.utils import timezone

from safehaven.accounts.models import Organisation, User
from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case
from safehaven.core.coarse_time import hour_of, this_hour
from safehaven.intake.tests.helpers import private_key
from safehaven.travel.alarms.actions import WatchResult, do_watch_journeys
from safehaven.travel.bookings.actions import do_book_route
from safehaven.travel.check_ins.sealing import CheckInReport, report_to_json
from safehaven.travel.check_ins.tags import tag_check_in
from safehaven.travel.choices import CheckInVia
from safehaven.travel.compartment import open_travel
from safehaven.travel.models import Booking, ExpectedCheckIn, JourneyAlert, OnCallShift
from safehaven.travel.tests.helpers import assigned_case, primary_person, verified

# Sealed in the check-ins' details; never in an e-mail, a page of the alarm or the database.
PLACE = "Sentinel-Transit-Quarrywick"
HOUR = datetime.timedelta(hours=1)


def in_transit_case(world: Any) -> Case:
    """A case assigned to the seeded caseworker, in transit, with a booking entered by hand
    (which makes its travel compartment)."""
    case = verified(assigned_case(world), CaseState.IN_TRANSIT)
    do_book_route(
        case,
        saved_route=None,
        travellers=[primary_person(case)],
        actor=world.users["caseworker"],
        private_key=private_key("caseworker"),
    )
    return case


def expected_check_in(
    case: Case, *, due_by: datetime.datetime | None = None, username: str = "caseworker"
) -> ExpectedCheckIn:
    """An expected check-in of ``case``'s booking, due an hour ago by default (to the hour,
    as the model keeps it), its details sealed under the case's travel key."""
    due = due_by if due_by is not None else hour_of(timezone.now()) - HOUR
    actor = User.objects.get(username=username)
    opened = open_travel(case, actor=actor, private_key=private_key(username))
    assert opened is not None
    booking = Booking.objects.filter(case=case).earliest("pk")
    position = ExpectedCheckIn.objects.filter(booking=booking).count() + 1
    row = ExpectedCheckIn(
        record_id=opened.record_id,
        case=case,
        booking=booking,
        position=position,
        opens_at=due - 3 * HOUR,
        due_by=due,
        created_by=actor,
    )
    details = {"point": "transit", "place": PLACE, "time_zone": "Asia/Yerevan"}
    row.open_with(opened).seal("details", json.dumps(details))
    row.save()
    tag_check_in(row)  # as scheduling does
    row.save(update_fields=["tag"])
    return row


def check_in(row: ExpectedCheckIn, *, danger: bool = False) -> ExpectedCheckIn:
    """Checked in from the person's status page, as the check-in does: the hour, the way, the
    report sealed to the travel compartment's inbox key (nobody's key is present), the tag."""
    row.checked_in_at = this_hour()
    row.checked_in_via = CheckInVia.STATUS_PAGE
    row.seal_for_inbox("report", report_to_json(CheckInReport(danger=danger)))
    tag_check_in(row)
    row.save(update_fields=["checked_in_at", "checked_in_via", "report", "tag"])
    return row


def cancel(row: ExpectedCheckIn) -> ExpectedCheckIn:
    """Cancelled as the application cancels it (the hour, and the tag)."""
    row.cancelled_at = this_hour()
    tag_check_in(row)
    row.save(update_fields=["cancelled_at", "tag"])
    return row


def watch(now: datetime.datetime | None = None) -> WatchResult:
    """The timer's work, its commit hooks run as in production (the tests run in a
    transaction that never commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return do_watch_journeys(now=now)


def on_call(
    world: Any,
    username: str,
    position: int,
    *,
    organisation: Organisation | None = None,
    starts: datetime.datetime | None = None,
    ends: datetime.datetime | None = None,
) -> OnCallShift:
    """``username`` on call from an hour ago for a day, unless told otherwise."""
    now = timezone.now()
    return OnCallShift.objects.create(
        organisation=organisation or world.organisation,
        user=world.users[username],
        starts_at=starts or now - HOUR,
        ends_at=ends or now + 24 * HOUR,
        position=position,
        added_by=world.users["supervisor"],
    )


def notified_at(alert: JourneyAlert) -> datetime.datetime:
    """When the alert's last round of e-mails went (it must have gone)."""
    alert.refresh_from_db()
    assert alert.notified_at is not None
    return alert.notified_at


def mailed_to() -> list[str]:
    """The addressees of every e-mail sent so far, in order."""
    return [address for message in mail.outbox for address in message.to]


def usernames(addresses: list[str]) -> list[str]:
    return [address.split("@")[0] for address in addresses]


def alerts_of(case: Case) -> list[JourneyAlert]:
    return list(JourneyAlert.objects.filter(case=case).order_by("pk"))
