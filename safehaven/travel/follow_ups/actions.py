"""Confirm a case's safe arrival and log its follow-ups. Arrival moves the case to ARRIVED
through the case workflow (``do_move_case``) and, in the same transaction, schedules a
follow-up at about 1, 3, 6 and 12 months, each owned by the case's caseworker (a genuine
assignment, bound into the seal). A case moved to ARRIVED another way gets its follow-ups from
``do_schedule_follow_ups``. Logging one seals a note per topic (housing, legal status, health,
emotional support) with the outcome and day bound in; the first logged moves the case to
POST_ARRIVAL, and when a genuine follow-up of every month of the schedule is done or ended
early the case closes as relocated. A row whose seal is missing or does not open is forged:
every action on it is refused, and it neither blocks nor counts towards anything. Confirming
the arrival also cancels the journey's check-ins still waiting, so none raises a false
"missed" alert later."""

from __future__ import annotations

import calendar
import datetime
import json
from collections.abc import Mapping

import pycountry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.choices import AssignmentRole, CaseOutcome, CaseState
from safehaven.cases.compartments import open_casework, refuse_if_closed
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.links import valid_assignments
from safehaven.cases.models import Case
from safehaven.cases.workflow.actions import do_move_case
from safehaven.core.audit import record_event
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.intake.submission.place_names import EXTRA_COUNTRIES
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.check_ins.actions import cancel_waiting_check_ins
from safehaven.travel.choices import FollowUpOutcome, FollowUpTopic
from safehaven.travel.compartment import open_travel
from safehaven.travel.models import Booking, ExpectedCheckIn, FollowUp

# Months after arrival of each follow-up.
SCHEDULE = (1, 3, 6, 12)
LOGGED_OUTCOMES = (FollowUpOutcome.DONE, FollowUpOutcome.UNREACHABLE, FollowUpOutcome.ENDED)
FINAL_OUTCOMES = (FollowUpOutcome.DONE, FollowUpOutcome.ENDED)


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def empty_notes() -> dict[str, str]:
    return {topic.value: "" for topic in FollowUpTopic}


def opened_notes(row: FollowUp, opened: OpenedRecord) -> dict[str, str]:
    """The notes per topic; CaseActionRefused when the seal is missing or does not open."""
    try:
        text = row.open_with(opened).sealed("notes") or ""
        notes = json.loads(text)
    except (SealError, SealedValueUnavailable, ValueError):
        raise CaseActionRefused(
            _("This follow-up does not match its seal: tell your administrators.")
        ) from None
    if not isinstance(notes, dict):
        raise CaseActionRefused(
            _("This follow-up does not match its seal: tell your administrators.")
        )
    return {topic.value: str(notes.get(topic.value, "")) for topic in FollowUpTopic}


def is_genuine(row: FollowUp, opened: OpenedRecord) -> bool:
    """The row's seal opens with the case's casework: its clear columns can be trusted."""
    try:
        opened_notes(row, opened)
    except CaseActionRefused:
        return False
    return True


def genuine_follow_ups(case: Case, opened: OpenedRecord) -> list[FollowUp]:
    return [row for row in FollowUp.objects.filter(case=case) if is_genuine(row, opened)]


def _caseworker(case: Case, opened: OpenedRecord) -> User | None:
    """The caseworker of a genuine assignment (its marker opens), never a raw row."""
    for assignment in valid_assignments(case, opened):
        if assignment.role == AssignmentRole.CASEWORKER:
            return assignment.user
    return None


def _schedule(
    case: Case, opened: OpenedRecord, *, start: datetime.date, actor: User, more: str = ""
) -> list[FollowUp]:
    """Inside the caller's atomic block, with ``case`` locked: refuse when genuine follow-ups
    exist; otherwise seal one per month of the schedule, due from ``start``. A forged row of a
    month of the schedule (its seal does not open) is sealed again in place as a genuine one."""
    rows = FollowUp.objects.filter(case=case)
    if any(is_genuine(row, opened) for row in rows):
        raise CaseActionRefused(_("This case's follow-ups are already scheduled."))
    forged = {row.months: row for row in rows}
    owner = _caseworker(case, opened)
    made: list[FollowUp] = []
    replaced: list[FollowUp] = []
    for months in SCHEDULE:
        row = forged.get(months) or FollowUp(record_id=opened.record_id, case=case, months=months)
        row.record_id, row.due_on, row.owner = opened.record_id, months_after(start, months), owner
        row.outcome, row.logged_on = FollowUpOutcome.PENDING, None
        row.open_with(opened).seal("notes", json.dumps(empty_notes(), sort_keys=True))
        (replaced if row.pk else made).append(row)
    FollowUp.objects.bulk_create(made)
    for row in replaced:
        row.save(update_fields=["record_id", "due_on", "owner", "outcome", "logged_on", "notes"])
    detail = f"{len(made) + len(replaced)} follow-ups"
    if replaced:
        detail += f", {len(replaced)} forged rows sealed again"
    detail += more
    record_event(
        EventType.FOLLOW_UPS_SCHEDULED,
        actor=actor,
        organisation=case.organisation,
        target=case,
        detail=detail,
    )
    return sorted(made + replaced, key=lambda row: row.months)


def _cancel_waiting_check_ins(case: Case, actor: User, private_key: bytes) -> int:
    """Inside the arrival's transaction, the case locked: cancel the journey's check-ins still
    waiting (the person is there: the alarm must not wait for them), each sealed again with its
    cancellation bound in, as a cancelled booking's are; how many. Refused when there are some
    and the actor's key cannot open the travel records (sealing again needs it)."""
    waiting = ExpectedCheckIn.objects.filter(case=case, checked_in_at=None, cancelled_at=None)
    bookings = Booking.objects.filter(pk__in=waiting.values("booking_id")).order_by("pk")
    if not bookings:
        return 0
    travel = open_travel(case, actor=actor, private_key=private_key)
    if travel is None:
        raise CaseActionRefused(
            _(
                "Your key cannot open this case's travel records, so its check-ins still "
                "waiting cannot be cancelled: ask a colleague who holds them to confirm the "
                "arrival."
            )
        )
    reason = _("The person's safe arrival was confirmed.")
    return sum(cancel_waiting_check_ins(booking, travel, reason=reason) for booking in bookings)


def arrival_country(code: str) -> str:
    """``code`` as a known ISO 3166-1 alpha-2 country (the public form's list), upper case;
    "" for none. Raises CaseActionRefused for anything else (a city, an address, a typo)."""
    code = code.strip().upper()
    if not code:
        return ""
    if code in EXTRA_COUNTRIES or (
        len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None
    ):
        return code
    raise CaseActionRefused(_("Choose the country the person arrived in from the list."))


def do_confirm_arrival(
    case: Case, *, reason: str, actor: User, private_key: bytes, arrived_in: str = ""
) -> list[FollowUp]:
    """Move an IN_TRANSIT case to ARRIVED (with ``reason`` sealed in its history), record the
    country it arrived in (``arrived_in``, an ISO code, in clear for reports; "" leaves it as
    it is), cancel the journey's check-ins still waiting and schedule its follow-ups, all or
    nothing. Raises CaseActionRefused."""
    refuse_if_closed(case)
    if case.state != CaseState.IN_TRANSIT:
        raise CaseActionRefused(_("Only a case in transit can be confirmed as arrived."))
    country = arrival_country(arrived_in)
    opened = open_casework(case, actor=actor, private_key=private_key)
    today = timezone.localdate()
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
        if any(is_genuine(row, opened) for row in FollowUp.objects.filter(case=locked)):
            raise CaseActionRefused(_("This case's follow-ups are already scheduled."))
        cancelled = _cancel_waiting_check_ins(locked, actor, private_key)
        if country:
            locked.arrived_in = country
            locked.save(update_fields=["arrived_in"])
        do_move_case(
            locked,
            to_state=CaseState.ARRIVED,
            reason=reason,
            actor=actor,
            private_key=private_key,
        )
        more = f", {cancelled} check-ins cancelled" if cancelled else ""
        # Not the country itself: the case row holds it for reports; the audit log need not.
        more += ", arrival country recorded" if country else ""
        rows = _schedule(locked, opened, start=today, actor=actor, more=more)
    case.state, case.outcome, case.state_changed_at, case.arrived_in = (
        locked.state,
        locked.outcome,
        locked.state_changed_at,
        locked.arrived_in,
    )
    return rows


def do_schedule_follow_ups(case: Case, *, actor: User, private_key: bytes) -> list[FollowUp]:
    """Schedule the follow-ups of an ARRIVED case that has no genuine ones (moved to ARRIVED by
    the ordinary move form), due from the day it arrived. Raises CaseActionRefused."""
    refuse_if_closed(case)
    opened = open_casework(case, actor=actor, private_key=private_key)
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
        refuse_if_closed(locked)
        if locked.state != CaseState.ARRIVED:
            raise CaseActionRefused(_("Follow-ups are scheduled only for an arrived case."))
        arrived_on = timezone.localdate(locked.state_changed_at)
        return _schedule(locked, opened, start=arrived_on, actor=actor)


def _merged(kept: dict[str, str], notes: Mapping[str, str]) -> dict[str, str]:
    """A topic left empty keeps its note; unknown topics are refused."""
    unknown = set(notes) - set(FollowUpTopic.values)
    if unknown:
        raise CaseActionRefused(_("Choose a topic of the follow-up."))
    merged = dict(kept)
    for topic, text in notes.items():
        if text.strip():
            merged[topic] = text.strip()
    return merged


def _all_final(case: Case, opened: OpenedRecord) -> bool:
    """A genuine follow-up of every month of the schedule, each done or ended early, and no
    genuine one still open: a forged row (whose clear outcome a database writer may have set)
    never counts, and a deleted row is missed, never taken as done."""
    genuine = genuine_follow_ups(case, opened)
    if any(row.outcome not in FINAL_OUTCOMES for row in genuine):
        return False
    return {row.months for row in genuine} == set(SCHEDULE)


def _move_on(case: Case, opened: OpenedRecord, actor: User, private_key: bytes) -> None:
    """The first follow-up logged moves an arrived case to post-arrival support; when every
    follow-up is done or ended early, the case closes as relocated."""
    if case.state == CaseState.ARRIVED:
        do_move_case(
            case,
            to_state=CaseState.POST_ARRIVAL,
            reason=_("A follow-up after arrival was logged."),
            actor=actor,
            private_key=private_key,
        )
    if _all_final(case, opened):
        do_move_case(
            case,
            to_state=CaseState.CLOSED,
            outcome=CaseOutcome.RELOCATED,
            reason=_("Every follow-up after arrival is done or ended."),
            actor=actor,
            private_key=private_key,
        )


def do_log_follow_up(
    follow_up: FollowUp,
    *,
    outcome: str,
    notes: Mapping[str, str],
    actor: User,
    private_key: bytes,
) -> FollowUp:
    """Log a follow-up as done, could not reach or ended early, with a note per topic (a topic
    left empty keeps its note): the notes are sealed again with the outcome and today bound in.
    Raises CaseActionRefused."""
    if outcome not in LOGGED_OUTCOMES:
        raise CaseActionRefused(_("Choose an outcome."))
    case = follow_up.case
    refuse_if_closed(case)
    opened = open_casework(case, actor=actor, private_key=private_key)
    with transaction.atomic():
        locked_case = (
            Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
        )
        refuse_if_closed(locked_case)
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk, case=locked_case)
        kept = opened_notes(locked, opened)
        if locked_case.state not in (CaseState.ARRIVED, CaseState.POST_ARRIVAL):
            raise CaseActionRefused(_("Follow-ups are logged only after arrival."))
        if not locked.is_open:
            raise CaseActionRefused(_("This follow-up is already done or ended."))
        merged = _merged(kept, notes)
        # The outcome and day are bound into the notes' seal: set them first.
        locked.outcome, locked.logged_on = outcome, timezone.localdate()
        locked.seal("notes", json.dumps(merged, sort_keys=True))
        locked.save(update_fields=["outcome", "logged_on", "notes"])
        record_event(
            EventType.FOLLOW_UP_LOGGED,
            actor=actor,
            organisation=locked_case.organisation,
            target=locked_case,
            detail=f"follow-up {locked.item_id} months {locked.months} {outcome}",
        )
        _move_on(locked_case, opened, actor, private_key)
    case.state, case.outcome, case.state_changed_at = (
        locked_case.state,
        locked_case.outcome,
        locked_case.state_changed_at,
    )
    return locked
