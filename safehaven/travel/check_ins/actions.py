"""Schedule the check-ins of a confirmed booking, cancel one, log one after a call, and mark a
case in transit once a caseworker has read the person's check-in. Each under the case row's
lock, with the details and reports sealed in the case's travel compartment; audit details
carry ids and counts only. The person's own check-in is ``listener.py`` (nobody's key)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.choices import CaseState
from safehaven.cases.compartments import refuse_if_closed
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.cases.workflow.actions import do_move_case
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.alarms.actions import do_raise_alert
from safehaven.travel.bookings.queries import open_booking
from safehaven.travel.check_ins.queries import OpenedCheckIn, open_check_in, open_check_ins
from safehaven.travel.check_ins.sealing import (
    CheckInDetails,
    CheckInReport,
    details_to_json,
    report_to_json,
)
from safehaven.travel.check_ins.tags import tag_check_in
from safehaven.travel.check_ins.windows import (
    MAX_CHECK_INS_PER_BOOKING,
    WindowAsked,
    window_of,
)
from safehaven.travel.choices import AlertKind, BookingStatus, CheckInVia
from safehaven.travel.compartment import open_travel
from safehaven.travel.models import Booking, ExpectedCheckIn

# A journey's check-ins are set while it is booked or under way.
SCHEDULING_STATES = frozenset({CaseState.TRAVEL_BOOKED, CaseState.IN_TRANSIT})


def _locked_case(case_id: int) -> Case:
    case = Case.objects.select_for_update().select_related("organisation").get(pk=case_id)
    refuse_if_closed(case)
    return case


def _travel(case: Case, actor: User, private_key: bytes) -> OpenedRecord:
    opened = open_travel(case, actor=actor, private_key=private_key)
    if opened is None:
        raise CaseActionRefused(_("Your key cannot open this case's travel records."))
    return opened


def _event(event_type: EventType, case: Case, actor: User, detail: str) -> None:
    record_event(
        event_type, actor=actor, organisation=case.organisation, target=case, detail=detail
    )


def do_schedule_check_ins(
    booking: Booking, *, windows: Sequence[WindowAsked], actor: User, private_key: bytes
) -> list[ExpectedCheckIn]:
    """Add the expected check-ins ``windows`` to a confirmed booking of a case that is travel
    booked or in transit: each window in UTC to the hour, its details sealed in the travel
    compartment, numbered on from the booking's last in the order of their windows.
    Raises CaseActionRefused."""
    if not windows:
        raise CaseActionRefused(_("Give at least one check-in window."))
    now = timezone.now()
    planned = [window_of(asked, now=now, number=n) for n, asked in enumerate(windows, start=1)]
    planned.sort(key=lambda window: (window.opens_at, window.due_by))
    with transaction.atomic():
        case = _locked_case(booking.case_id)
        if case.state not in SCHEDULING_STATES:
            raise CaseActionRefused(
                _("Check-ins are scheduled only while the case is “Travel booked” or “In transit”.")
            )
        row = Booking.objects.select_for_update().get(pk=booking.pk, case=case)
        opened = _travel(case, actor, private_key)
        if open_booking(row, opened).content is None:
            raise CaseActionRefused(
                _(
                    "This booking does not match its seal: it cannot be trusted. "
                    "Tell your administrators."
                )
            )
        if row.status != BookingStatus.CONFIRMED:
            raise CaseActionRefused(_("Check-ins are scheduled only on a confirmed booking."))
        existing = ExpectedCheckIn.objects.filter(booking=row)
        if existing.count() + len(planned) > MAX_CHECK_INS_PER_BOOKING:
            raise CaseActionRefused(
                _("A booking has at most %(count)d check-ins.")
                % {"count": MAX_CHECK_INS_PER_BOOKING}
            )
        last = existing.aggregate(last=Max("position"))["last"] or 0
        made = []
        for position, window in enumerate(planned, start=last + 1):
            check_in = ExpectedCheckIn(
                record_id=opened.record_id,
                case=case,
                booking=row,
                position=position,
                opens_at=window.opens_at,
                due_by=window.due_by,
                created_by=actor,
            )
            details = CheckInDetails(window.point, window.place, window.zone)
            check_in.open_with(opened).seal("details", details_to_json(details))
            check_in.save()
            # The tag names the row's id: it is made once the row has one.
            tag_check_in(check_in)
            check_in.save(update_fields=["tag"])
            made.append(check_in)
        numbers = ", ".join(f"#{check_in.pk}" for check_in in made)
        _event(
            EventType.CHECK_INS_SCHEDULED,
            case,
            actor,
            f"booking #{row.pk}: {len(made)} check-ins ({numbers})",
        )
    return made


def _locked_check_in(
    expected: ExpectedCheckIn, actor: User, private_key: bytes
) -> tuple[Case, ExpectedCheckIn, CheckInDetails]:
    """Inside the caller's transaction: the case and the check-in locked, the check-in opened
    with the actor's travel key (sealing again needs it); refused on a closed case and for a
    forged check-in (its tag too: tagging it again would vouch for what a writer changed)."""
    case = _locked_case(expected.case_id)
    row = ExpectedCheckIn.objects.select_for_update().get(pk=expected.pk, case=case)
    check_in = open_check_in(row, _travel(case, actor, private_key))
    if check_in.forged or check_in.details is None:
        raise CaseActionRefused(
            _(
                "This check-in does not match its seal: it cannot be trusted. "
                "Tell your administrators."
            )
        )
    return case, row, check_in.details


def _refuse_unless_waiting(row: ExpectedCheckIn) -> None:
    if row.cancelled_at is not None:
        raise CaseActionRefused(_("This check-in was cancelled."))
    if row.checked_in_at is not None:
        raise CaseActionRefused(_("This check-in has come in already."))


def do_cancel_check_in(
    expected: ExpectedCheckIn, *, reason: str, actor: User, private_key: bytes
) -> ExpectedCheckIn:
    """Cancel a check-in still waiting (the alarm no longer waits for it), the reason sealed in
    its details, sealed again since the cancellation is bound into them.
    Raises CaseActionRefused."""
    if not reason.strip():
        raise CaseActionRefused(_("Give the reason for cancelling this check-in."))
    with transaction.atomic():
        case, row, details = _locked_check_in(expected, actor, private_key)
        _refuse_unless_waiting(row)
        row.cancelled_at = this_hour()
        row.seal("details", details_to_json(replace(details, cancel_reason=reason.strip())))
        tag_check_in(row)
        row.save(update_fields=["cancelled_at", "details", "tag"])
        detail = f"check-in #{row.pk} of booking #{row.booking_id}"
        _event(EventType.CHECK_IN_CANCELLED, case, actor, detail)
    return row


def cancel_waiting_check_ins(
    booking: Booking, opened: OpenedRecord, *, reason: str | None = None
) -> int:
    """Inside a booking's cancellation or a confirmed arrival (its transaction, the case
    locked): cancel every check-in of the booking still waiting, so the alarm waits for none of
    them; how many. A forged row (its tag included) is only marked cancelled, never sealed or
    tagged again as genuine: the alarm still counts it as missed while its journey is watched."""
    reason = reason or _("The booking was cancelled.")
    now = this_hour()
    rows = ExpectedCheckIn.objects.select_for_update().filter(
        booking=booking, checked_in_at=None, cancelled_at=None
    )
    cancelled = 0
    for row in rows:
        check_in = open_check_in(row, opened)
        row.cancelled_at = now
        if check_in.details is not None and not check_in.forged:
            row.seal("details", details_to_json(replace(check_in.details, cancel_reason=reason)))
            tag_check_in(row)
        row.save(update_fields=["cancelled_at", "details", "tag"])
        cancelled += 1
    return cancelled


def do_log_check_in(
    expected: ExpectedCheckIn, *, in_danger: bool, note: str, actor: User, private_key: bytes
) -> ExpectedCheckIn:
    """Staff heard from the person on a call during the check-in's window: the check-in comes
    in (the hour, by call, by ``actor``), the report sealed under the travel key. A danger
    signal raises an alert; an ordinary check-in while the case is travel booked moves it to
    in transit (the journey has begun). Raises CaseActionRefused."""
    with transaction.atomic():
        case, row, _details = _locked_check_in(expected, actor, private_key)
        _refuse_unless_waiting(row)
        if row.opens_at > timezone.now():
            raise CaseActionRefused(
                _(
                    "This check-in's window has not opened yet: log it once it has, or cancel "
                    "it and schedule another."
                )
            )
        # The hour, the way and the staff member are bound into the report: set them first.
        row.checked_in_at = this_hour()
        row.checked_in_via = CheckInVia.CALL
        row.checked_in_by = actor
        row.seal("report", report_to_json(CheckInReport(danger=in_danger, note=note.strip())))
        tag_check_in(row)
        row.save(
            update_fields=["checked_in_at", "checked_in_via", "checked_in_by", "report", "tag"]
        )
        _event(
            EventType.CHECK_IN_LOGGED,
            case,
            actor,
            f"check-in #{row.pk} of booking #{row.booking_id}",
        )
        if in_danger:
            do_raise_alert(case, expected=row, kind=AlertKind.RAISED, actor=actor)
        elif case.state == CaseState.TRAVEL_BOOKED:
            do_move_case(
                case,
                to_state=CaseState.IN_TRANSIT,
                reason=_("The person checked in on a call (check-in #%(number)s).")
                % {"number": row.pk},
                actor=actor,
                private_key=private_key,
            )
    return row


def ordinary_check_ins(case: Case, opened: OpenedRecord) -> list[OpenedCheckIn]:
    """The genuine check-ins of the case that came in without a danger signal."""
    return [
        check_in
        for check_in in open_check_ins(case, opened)
        if check_in.checked_in
        and check_in.report is not None
        and not check_in.report.danger
        and check_in.row.cancelled_at is None
    ]


def do_mark_in_transit(case: Case, *, actor: User, private_key: bytes) -> None:
    """A caseworker read the person's check-in from their status page: the journey has begun,
    so the case moves from travel booked to in transit. A check-in never moves the case by
    itself (docs/travel.md, "Check-ins during a journey"). Raises CaseActionRefused."""
    with transaction.atomic():
        locked = _locked_case(case.pk)
        if locked.state != CaseState.TRAVEL_BOOKED:
            raise CaseActionRefused(
                _("Only a case whose travel is booked can be marked in transit.")
            )
        opened = _travel(locked, actor, private_key)
        came_in = ordinary_check_ins(locked, opened)
        if not came_in:
            raise CaseActionRefused(
                _(
                    "No check-in of this journey has come in without a danger signal: mark "
                    "the case in transit once the person has checked in."
                )
            )
        do_move_case(
            locked,
            to_state=CaseState.IN_TRANSIT,
            reason=_("The person checked in (check-in #%(number)s); a caseworker read it.")
            % {"number": came_in[0].row.pk},
            actor=actor,
            private_key=private_key,
        )
    case.state, case.outcome, case.state_changed_at = (
        locked.state,
        locked.outcome,
        locked.state_changed_at,
    )
