"""Book a case's journey (from a saved route or by hand), record its segments, tick each
traveller's documents before departure, confirm it (which moves the case to "travel booked"
through the cases workflow) or cancel it. Everything of a booking is sealed in the case's
travel compartment under the case row's lock; audit details carry ids only."""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.db import transaction
from django.utils.translation import gettext as _

from safehaven.accounts.access import Perm, has_perm_in
from safehaven.accounts.models import User
from safehaven.cases.choices import CaseState
from safehaven.cases.compartments import open_casework, refuse_if_closed
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.links import linked_people
from safehaven.cases.models import Case, CasePerson
from safehaven.cases.workflow.actions import do_move_case
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.bookings.queries import confirmed_bookings, open_booking
from safehaven.travel.bookings.sealing import BookingContent, Segment, Tick, booking_to_json
from safehaven.travel.check_ins.actions import cancel_waiting_check_ins
from safehaven.travel.choices import BookingStatus, ChecklistItem, RouteStatus
from safehaven.travel.compartment import open_or_make_travel, open_travel
from safehaven.travel.models import Booking, SavedRoute
from safehaven.travel.planner.pages import PLANNING_STATES
from safehaven.travel.saved_routes.queries import open_saved_route


def _refuse_unless_planning(case: Case) -> None:
    refuse_if_closed(case)
    if case.state not in PLANNING_STATES:
        raise CaseActionRefused(_("Only a verified case that has not left yet can be booked."))


def _segments_of(saved: SavedRoute, opened: OpenedRecord, case: Case) -> tuple[Segment, ...]:
    """The legs of a saved route the case may travel (saved, not waiting for an override nor
    withdrawn, and its seal opens), each a segment still to book."""
    if saved.case_id != case.pk:
        raise CaseActionRefused(_("This route is not of this case."))
    row = SavedRoute.objects.select_for_update().get(pk=saved.pk)
    if row.status == RouteStatus.NEEDS_OVERRIDE:
        raise CaseActionRefused(
            _("This route waits for a supervisor's override: it cannot be booked yet.")
        )
    if row.status != RouteStatus.SAVED:
        raise CaseActionRefused(_("This route was withdrawn: it cannot be booked."))
    content = open_saved_route(row, opened).content
    if content is None:
        raise CaseActionRefused(
            _("This route does not match its seal: it cannot be trusted. Tell your administrators.")
        )
    return tuple(Segment(leg.from_place, leg.to_place) for leg in content.route.legs)


def _travellers(case: Case, people: list[CasePerson], actor: User, private_key: bytes) -> list[int]:
    """The people chosen, each of the case and linked by a seal that opens."""
    if not people:
        raise CaseActionRefused(_("Choose who travels."))
    casework = open_casework(case, actor=actor, private_key=private_key)
    linked = {person.pk for person in linked_people(case, casework)}
    chosen = sorted({person.pk for person in people})
    if not set(chosen) <= linked:
        raise CaseActionRefused(_("Only the people of this case can travel on its booking."))
    return chosen


def do_book_route(
    case: Case,
    *,
    saved_route: SavedRoute | None,
    travellers: list[CasePerson],
    actor: User,
    private_key: bytes,
) -> Booking:
    """Start a booking for ``travellers`` of the case: from a saved route (its legs become the
    segments to book) or, with ``saved_route`` None, empty, its segments entered by hand.
    Raises CaseActionRefused."""
    _refuse_unless_planning(case)
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
        _refuse_unless_planning(locked)
        chosen = _travellers(locked, travellers, actor, private_key)
        opened = open_or_make_travel(locked, actor=actor, private_key=private_key)
        segments = () if saved_route is None else _segments_of(saved_route, opened, locked)
        content = BookingContent(
            saved_route=None if saved_route is None else saved_route.pk,
            travellers=tuple(chosen),
            segments=segments,
        )
        row = Booking(record_id=opened.record_id, case=locked, created_by=actor)
        row.open_with(opened).seal("details", booking_to_json(content))
        row.save()
        source = "entered by hand" if saved_route is None else f"from saved route #{saved_route.pk}"
        record_event(
            EventType.BOOKING_MADE,
            actor=actor,
            organisation=locked.organisation,
            target=locked,
            detail=f"booking #{row.pk} {source}",
        )
    return row


def _locked_booking(
    booking: Booking, *, actor: User, private_key: bytes
) -> tuple[Case, Booking, BookingContent, OpenedRecord]:
    """Inside the caller's transaction: the case and the booking locked, the booking opened
    with the actor's travel key; refused on a closed case, a forged or cancelled booking."""
    case = Case.objects.select_for_update().select_related("organisation").get(pk=booking.case_id)
    refuse_if_closed(case)
    row = Booking.objects.select_for_update().get(pk=booking.pk)
    opened = open_travel(case, actor=actor, private_key=private_key)
    if opened is None:
        raise CaseActionRefused(_("Your key cannot open this case's travel records."))
    content = open_booking(row, opened).content
    if content is None:
        raise CaseActionRefused(
            _(
                "This booking does not match its seal: it cannot be trusted. "
                "Tell your administrators."
            )
        )
    if row.status == BookingStatus.CANCELLED:
        raise CaseActionRefused(_("This booking was cancelled."))
    return case, row, content, opened


def _save(row: Booking, content: BookingContent) -> None:
    row.seal("details", booking_to_json(content))
    row.save(update_fields=["status", "details"])


def _event(event_type: EventType, case: Case, row: Booking, actor: User, more: str = "") -> None:
    record_event(
        event_type,
        actor=actor,
        organisation=case.organisation,
        target=case,
        detail=f"booking #{row.pk}{more}",
    )


def do_add_segment(
    booking: Booking,
    *,
    segment: int | None,
    from_place: str,
    to_place: str,
    departs: datetime.datetime,
    arrives: datetime.datetime,
    carrier: str,
    reference: str,
    actor: User,
    private_key: bytes,
) -> Booking:
    """Record the times, carrier and reference of segment number ``segment`` (its places kept
    from the route), or, with ``segment`` None, add a segment entered by hand. Refused on a
    confirmed booking (cancel it and book again). Raises CaseActionRefused."""
    if not carrier.strip() or not reference.strip():
        raise CaseActionRefused(_("Give the carrier and the booking reference."))
    # Wall-clock times as the ticket gives them at each place: no server time zone applies.
    times = {
        "departs": departs.replace(tzinfo=None).isoformat(timespec="minutes"),
        "arrives": arrives.replace(tzinfo=None).isoformat(timespec="minutes"),
    }
    booked = {"carrier": carrier.strip(), "reference": reference.strip(), **times}
    with transaction.atomic():
        case, row, content, _opened = _locked_booking(booking, actor=actor, private_key=private_key)
        if row.status != BookingStatus.DRAFT:
            raise CaseActionRefused(_("This booking is confirmed: cancel it and book again."))
        segments = list(content.segments)
        if segment is None:
            if not from_place.strip() or not to_place.strip():
                raise CaseActionRefused(_("Give where the segment starts and ends."))
            segments.append(Segment(from_place.strip(), to_place.strip(), **booked))
            number = len(segments)
        else:
            if not 1 <= segment <= len(segments):
                raise CaseActionRefused(_("This booking has no such segment."))
            old = segments[segment - 1]
            segments[segment - 1] = Segment(old.from_place, old.to_place, **booked)
            number = segment
        _save(row, content.with_segments(tuple(segments)))
        _event(EventType.BOOKING_SEGMENT_ADDED, case, row, actor, f" segment {number}")
    return row


def do_tick_document(
    booking: Booking, *, person: CasePerson, item: str, actor: User, private_key: bytes
) -> Booking:
    """Tick one document of a traveller's pre-departure checklist (sealed: who ticked it and
    the hour). Raises CaseActionRefused."""
    if item not in ChecklistItem.values:
        raise CaseActionRefused(_("Choose a document of the checklist."))
    with transaction.atomic():
        case, row, content, _opened = _locked_booking(booking, actor=actor, private_key=private_key)
        if person.pk not in content.travellers:
            raise CaseActionRefused(_("This person does not travel on this booking."))
        if content.ticked(person.pk, item):
            raise CaseActionRefused(_("This document is ticked already."))
        tick = Tick(person.pk, item, actor.pk, this_hour().isoformat())
        _save(row, replace(content, ticks=(*content.ticks, tick)))
        _event(EventType.BOOKING_DOCUMENT_TICKED, case, row, actor, f" person #{person.pk} {item}")
    return row


def missing_for_confirmation(content: BookingContent, names: dict[int, str]) -> list[str]:
    """What stops a booking from being confirmed, in words (empty when nothing does)."""
    missing: list[str] = []
    if not content.segments:
        missing.append(_("no segment is recorded"))
    for number, segment in enumerate(content.segments, start=1):
        if not segment.booked:
            missing.append(
                _("segment %(number)s has no times, carrier or reference") % {"number": number}
            )
    for person in content.travellers:
        for item in ChecklistItem:
            if not content.ticked(person, item.value):
                missing.append(
                    _("%(person)s: %(item)s not ticked")
                    % {"person": names.get(person, f"#{person}"), "item": item.label}
                )
    return missing


def traveller_names(case: Case) -> dict[int, str]:
    """Each person of the case named only by their place in it (names are sealed)."""
    return {
        person.pk: str(_("Main person"))
        if person.is_primary
        else str(_("Household member #%(number)s") % {"number": person.pk})
        for person in case.people.all()
    }


def _follows_its_route(case: Case, content: BookingContent, opened: OpenedRecord) -> bool:
    """Whether the booking's segments are, in order, the legs of the saved route it was booked
    from (False for a booking entered by hand). Refused when that route was withdrawn since,
    waits for a supervisor's override or does not match its seal: checked again at
    confirmation, under the lock, since the route may have changed after the booking began."""
    if content.saved_route is None:
        return False
    saved = SavedRoute.objects.select_for_update().filter(pk=content.saved_route, case=case).first()
    if saved is None:
        raise CaseActionRefused(_("The route of this booking is gone: it cannot be confirmed."))
    if saved.status == RouteStatus.NEEDS_OVERRIDE:
        raise CaseActionRefused(
            _(
                "The route of this booking waits for a supervisor's override: "
                "it cannot be confirmed."
            )
        )
    if saved.status != RouteStatus.SAVED:
        raise CaseActionRefused(
            _("The route of this booking was withdrawn: cancel the booking and book again.")
        )
    route = open_saved_route(saved, opened).content
    if route is None:
        raise CaseActionRefused(
            _("This route does not match its seal: it cannot be trusted. Tell your administrators.")
        )
    legs = tuple((leg.from_place, leg.to_place) for leg in route.route.legs)
    return tuple((s.from_place, s.to_place) for s in content.segments) == legs


def _refuse_unless_second_look(case: Case, row: Booking, actor: User) -> None:
    """A booking that does not follow a saved route (entered by hand, or its segments changed)
    skipped the route's checks: a supervisor of the case's organisation who did not start it
    must confirm it, as a supervisor allows a route through a criminalising country."""
    if not has_perm_in(actor, Perm.OVERRIDE_ROUTES, case.organisation):
        raise CaseActionRefused(
            _(
                "Only a supervisor of this case's organisation can confirm a booking entered "
                "by hand or whose segments differ from its saved route."
            )
        )
    if row.created_by_id == actor.pk:
        raise CaseActionRefused(
            _(
                "A booking entered by hand or whose segments differ from its saved route "
                "must be confirmed by a supervisor who did not start it."
            )
        )


def do_confirm_booking(booking: Booking, *, actor: User, private_key: bytes) -> Booking:
    """Confirm a booking whose segments are all booked and whose travellers' checklists are
    all ticked, and move the case to "travel booked" through the workflow (``do_move_case``:
    its own audit event and checks). Raises CaseActionRefused naming what is missing."""
    with transaction.atomic():
        case, row, content, opened = _locked_booking(booking, actor=actor, private_key=private_key)
        if row.status != BookingStatus.DRAFT:
            raise CaseActionRefused(_("This booking is confirmed already."))
        missing = missing_for_confirmation(content, traveller_names(case))
        if missing:
            raise CaseActionRefused(
                _("This booking cannot be confirmed yet: %(missing)s.")
                % {"missing": "; ".join(missing)}
            )
        if not _follows_its_route(case, content, opened):
            _refuse_unless_second_look(case, row, actor)
        row.status = BookingStatus.CONFIRMED
        _save(row, content)
        _event(EventType.BOOKING_CONFIRMED, case, row, actor)
        if case.state != CaseState.TRAVEL_BOOKED:
            do_move_case(
                case,
                to_state=CaseState.TRAVEL_BOOKED,
                reason=f"Booking #{row.pk} confirmed, every traveller's documents ticked.",
                actor=actor,
                private_key=private_key,
            )
    return row


def do_cancel_booking(booking: Booking, *, reason: str, actor: User, private_key: bytes) -> Booking:
    """Cancel a booking (kept, marked cancelled, the reason sealed in it) and its check-ins
    still waiting. A confirmed booking cancelled while the case is "travel booked" on no other
    confirmed booking moves the case back to planning. Raises CaseActionRefused."""
    if not reason.strip():
        raise CaseActionRefused(_("Give the reason for cancelling this booking."))
    with transaction.atomic():
        case, row, content, opened = _locked_booking(booking, actor=actor, private_key=private_key)
        was_confirmed = row.status == BookingStatus.CONFIRMED
        row.status = BookingStatus.CANCELLED
        _save(row, replace(content, cancel_reason=reason.strip()))
        # The alarm no longer waits for the check-ins of a journey that will not happen.
        check_ins = cancel_waiting_check_ins(row, opened)
        _event(
            EventType.BOOKING_CANCELLED,
            case,
            row,
            actor,
            f", {check_ins} check-ins cancelled" if check_ins else "",
        )
        # Only other bookings whose seal opens count: a row marked "confirmed" in the database
        # does not keep the case travel booked.
        others = confirmed_bookings(case, opened)
        if was_confirmed and case.state == CaseState.TRAVEL_BOOKED and not others:
            do_move_case(
                case,
                to_state=CaseState.PLANNING,
                reason=f"Booking #{row.pk} cancelled.",
                actor=actor,
                private_key=private_key,
            )
    return row
