"""The person's check-in from their status page, heard through intake's check-in listeners
(``intake.status_page.check_in_listeners``), inside the opening's transaction and with nobody's
key: only clear columns are read, and the report is sealed to the travel compartment's inbox.

An ordinary check-in and a danger one change the same clear columns the same way (and tag
them, ``tags.py``), and seal reports of one length; a danger one also raises an alert.
Neither moves the case: a caseworker reads the check-in and moves it (docs/travel.md,
"Check-ins during a journey")."""

from __future__ import annotations

from django.utils import timezone

from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case, CasePerson
from safehaven.core.coarse_time import this_hour
from safehaven.intake.models import HelpRequest
from safehaven.travel.alarms.actions import do_raise_alert
from safehaven.travel.check_ins.sealing import CheckInReport, report_to_json
from safehaven.travel.check_ins.tags import check_in_tag_matches, tag_check_in
from safehaven.travel.choices import AlertKind, CheckInVia
from safehaven.travel.models import ExpectedCheckIn


def _open_window(case: Case) -> ExpectedCheckIn | None:
    """The case's earliest genuine check-in still waiting whose window has opened (an overdue
    one too: a late check-in is recorded, and shown late), locked. A row without its tag
    (inserted or changed by a database writer) never takes the person's check-in: tagging it
    would vouch for it, and the alarm counts it as missed anyway."""
    rows = (
        ExpectedCheckIn.objects.select_for_update()
        .filter(
            case=case,
            checked_in_at=None,
            cancelled_at=None,
            opens_at__lte=timezone.now(),
        )
        .order_by("opens_at", "due_by", "position", "pk")
    )
    return next((row for row in rows if check_in_tag_matches(row)), None)


def _check_in(row: ExpectedCheckIn, *, danger: bool) -> None:
    # The hour and the way are bound into the report: set them first.
    row.checked_in_at = this_hour()
    row.checked_in_via = CheckInVia.STATUS_PAGE
    row.checked_in_by = None
    row.seal_for_inbox("report", report_to_json(CheckInReport(danger=danger)))
    tag_check_in(row)
    row.save(update_fields=["checked_in_at", "checked_in_via", "checked_in_by", "report", "tag"])


def hear_check_in(help_request: HelpRequest, danger: bool) -> None:
    """The person of ``help_request`` checked in: for their case (unless closed), the earliest
    open check-in comes in; a danger check-in raises an alert on it, or on the case when no
    check-in is open. An ordinary check-in with no window open changes nothing here."""
    people = CasePerson.objects.filter(help_request=help_request).exclude(
        case__state=CaseState.CLOSED
    )
    # The check-in row is locked, not the case: the opening holds the request's row, which a
    # staff action moving the case takes after the case's.
    for case in Case.objects.filter(pk__in=people.values("case_id")).select_related("organisation"):
        expected = _open_window(case)
        if expected is not None:
            _check_in(expected, danger=danger)
        if danger:
            do_raise_alert(case, expected=expected, kind=AlertKind.RAISED)
