"""The case page's "Journey check-ins" panel, for a viewer whose key opens the casework: each
expected check-in with its window in its own time zone, its state and, opened with the
viewer's travel key, its report (ordinary or a danger signal); the forms to schedule, log a
call, cancel, mark the case in transit once a check-in came and, once the arrival check-in
came, a pointer to the follow-ups panel's "Confirm safe arrival" form (one form on the page,
not two). The alerts are the alarms' panel."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from safehaven.cases.choices import CaseState, CompartmentKind
from safehaven.cases.models import Case
from safehaven.cases.panels import casework_viewer
from safehaven.travel.bookings.queries import open_bookings
from safehaven.travel.check_ins.actions import SCHEDULING_STATES
from safehaven.travel.check_ins.queries import OpenedCheckIn, open_check_ins
from safehaven.travel.check_ins.windows import local_time
from safehaven.travel.choices import BookingStatus, CheckInPoint
from safehaven.travel.compartment import open_travel
from safehaven.travel.models import ExpectedCheckIn


class State:
    """What the panel says of a check-in (a CSS class too)."""

    FORGED = "forged"
    CANCELLED = "cancelled"
    CHECKED_IN = "checked-in"
    NOT_OPEN = "not-open"
    OPEN = "open"
    OVERDUE = "overdue"


@dataclass(frozen=True, repr=False)
class CheckInLine:
    check_in: OpenedCheckIn
    state: str
    point: str  # the point's label
    opens: datetime.datetime | None  # wall clock at the check-in's zone
    due_by: datetime.datetime | None
    late: bool
    can_act: bool  # may be logged after a call or cancelled

    @property
    def row(self) -> ExpectedCheckIn:
        return self.check_in.row

    def __repr__(self) -> str:
        return f"CheckInLine(#{self.row.pk}, {self.state})"


def _state(check_in: OpenedCheckIn, now: datetime.datetime) -> str:
    row = check_in.row
    if check_in.forged:
        return State.FORGED
    if row.cancelled_at is not None:
        return State.CANCELLED
    if row.checked_in_at is not None:
        return State.CHECKED_IN
    if now < row.opens_at:
        return State.NOT_OPEN
    return State.OPEN if now < row.due_by else State.OVERDUE


def _line(case: Case, check_in: OpenedCheckIn, now: datetime.datetime) -> CheckInLine:
    row, details = check_in.row, check_in.details
    state = _state(check_in, now)
    zone = details.zone if details is not None else ""
    return CheckInLine(
        check_in=check_in,
        state=state,
        point=str(CheckInPoint(details.point).label) if details is not None else "",
        opens=local_time(row.opens_at, zone) if details is not None else None,
        due_by=local_time(row.due_by, zone) if details is not None else None,
        late=state == State.CHECKED_IN
        and row.checked_in_at is not None
        and row.checked_in_at >= row.due_by,
        can_act=state in (State.NOT_OPEN, State.OPEN, State.OVERDUE) and not case.is_closed,
    )


def _came_in_ordinary(line: CheckInLine) -> bool:
    report = line.check_in.report
    return line.state == State.CHECKED_IN and report is not None and not report.danger


def check_ins_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    viewer = casework_viewer(request, case)
    if viewer is None:
        return None
    journey = case.state in SCHEDULING_STATES and not case.is_closed
    has_rows = ExpectedCheckIn.objects.filter(case=case).exists()
    if not journey and not has_rows:
        return None
    context: dict[str, object] = {"case": case, "no_key": False, "lines": [], "bookings": []}
    if case.compartment_record_id(CompartmentKind.TRAVEL) is None:
        return {"travel_check_ins": context}
    opened = open_travel(case, actor=viewer.user, private_key=viewer.private_key)
    if opened is None:
        return {"travel_check_ins": {**context, "no_key": True}}
    now = timezone.now()
    lines = [_line(case, check_in, now) for check_in in open_check_ins(case, opened)]
    bookings = [
        booking.row
        for booking in open_bookings(case, opened)
        if not booking.forged and booking.row.status == BookingStatus.CONFIRMED
    ]
    arrived = any(
        _came_in_ordinary(line)
        and line.check_in.details is not None
        and line.check_in.details.point == CheckInPoint.ARRIVAL
        for line in lines
    )
    in_transit = case.state == CaseState.IN_TRANSIT
    return {
        "travel_check_ins": {
            **context,
            "lines": lines,
            "bookings": bookings if journey else [],
            "can_mark_in_transit": case.state == CaseState.TRAVEL_BOOKED
            and any(_came_in_ordinary(line) for line in lines),
            # The form itself is the follow-ups panel's, shown to the same viewers.
            "arrival_came_in": in_transit and arrived,
        }
    }
