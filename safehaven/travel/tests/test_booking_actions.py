"""Booking a case's journey, its segments, the pre-departure checklist, confirming and
cancelling (travel.bookings)."""

from typing import Any

import pytest

from safehaven.accounts.models import User
from safehaven.cases.choices import CaseOutcome, CaseState, CompartmentKind
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import private_key
from safehaven.travel.bookings.actions import (
    do_book_route,
    do_cancel_booking,
    do_confirm_booking,
    do_tick_document,
)
from safehaven.travel.bookings.sealing import Segment
from safehaven.travel.choices import BookingStatus, ChecklistItem, RouteStatus
from safehaven.travel.models import Booking, SavedRoute
from safehaven.travel.saved_routes.actions import do_save_route, do_withdraw_route
from safehaven.travel.tests.booking_helpers import (
    as_user,
    book,
    fill_segment,
    opened,
    planning_case,
    tick_all,
)
from safehaven.travel.tests.saved_route_helpers import FLAGGED, SAFE, TRAVELLER, use_plan

pytestmark = pytest.mark.django_db

WORDS = ("GRV", "EVN", "BER", "Armavia", "QX7PLM", "2027")


def details(event_type: EventType) -> list[str]:
    return [e.detail for e in AuditEvent.objects.filter(event_type=event_type)]


def test_it_books_a_saved_route_its_legs_the_segments_sealed_in_travel(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    assert booking.status == BookingStatus.DRAFT
    assert booking.record_id == case.compartment_record_id(CompartmentKind.TRAVEL)
    content = opened(booking).content
    assert content is not None
    assert content.saved_route == saved.pk
    assert content.segments == (Segment("GRV", "EVN"), Segment("EVN", "BER"))
    assert content.travellers == tuple(case.people.values_list("pk", flat=True))
    assert details(EventType.BOOKING_MADE) == [
        f"booking #{booking.pk} from saved route #{saved.pk}"
    ]


def test_it_books_by_hand_and_adds_a_segment(world, monkeypatch):
    case, _saved = planning_case(world, monkeypatch)
    booking = book(case)
    fill_segment(booking, None, from_place="Nalchik", to_place="Tbilisi")
    content = opened(booking).content
    assert content is not None
    assert content.saved_route is None
    [segment] = content.segments
    assert segment == Segment(
        "Nalchik", "Tbilisi", "2027-01-10T06:30", "2027-01-10T09:45", "Armavia", "QX7PLM"
    )
    assert segment.booked
    assert details(EventType.BOOKING_MADE) == [f"booking #{booking.pk} entered by hand"]
    assert details(EventType.BOOKING_SEGMENT_ADDED) == [f"booking #{booking.pk} segment 1"]


def test_it_fills_a_route_segment_keeping_its_places(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    fill_segment(booking, 2, from_place="ignored", to_place="ignored")
    content = opened(booking).content
    assert content is not None
    assert content.segments[1] == Segment(
        "EVN",
        "BER",
        "2027-01-10T06:30",
        "2027-01-10T09:45",
        "Armavia",
        "QX7PLM",
    )
    assert not content.segments[0].booked


def test_it_refuses_a_segment_without_carrier_or_places_or_an_unknown_number(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    with pytest.raises(CaseActionRefused, match="carrier and the booking reference"):
        fill_segment(booking, 1, carrier=" ")
    with pytest.raises(CaseActionRefused, match="starts and ends"):
        fill_segment(booking, None)
    with pytest.raises(CaseActionRefused, match="no such segment"):
        fill_segment(booking, 3)


def test_it_refuses_without_a_key_that_opens_the_travel_records(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    wrong: dict[str, Any] = {
        "actor": User.objects.get(username="caseworker"),
        "private_key": private_key("triage"),
    }
    with pytest.raises(CaseActionRefused):
        do_book_route(case, saved_route=saved, travellers=list(case.people.all()), **wrong)
    with pytest.raises(CaseActionRefused, match="cannot open"):
        do_tick_document(
            booking, person=case.people.get(is_primary=True), item=ChecklistItem.PASSPORT, **wrong
        )


def test_it_refuses_on_a_closed_case(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED, outcome=CaseOutcome.NO_CONTACT)
    case.refresh_from_db()
    with pytest.raises(CaseActionRefused, match="closed"):
        book(case, saved)
    with pytest.raises(CaseActionRefused, match="closed"):
        fill_segment(booking, 1)
    with pytest.raises(CaseActionRefused, match="closed"):
        do_cancel_booking(booking, reason="Closed.", **as_user())


def test_it_refuses_a_route_waiting_for_an_override_or_withdrawn(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    use_plan(monkeypatch, FLAGGED)
    waiting = do_save_route(case, traveller=TRAVELLER, route_key=FLAGGED.key, **as_user())
    assert waiting.status == RouteStatus.NEEDS_OVERRIDE
    with pytest.raises(CaseActionRefused, match="override"):
        book(case, waiting)
    do_withdraw_route(saved, reason="Flights stopped.", **as_user())
    with pytest.raises(CaseActionRefused, match="withdrawn"):
        book(case, SavedRoute.objects.get(pk=saved.pk))
    assert not Booking.objects.exists()


def test_it_refuses_a_forged_saved_route(world, monkeypatch):
    case, _saved = planning_case(world, monkeypatch)
    use_plan(monkeypatch, FLAGGED)
    waiting = do_save_route(case, traveller=TRAVELLER, route_key=FLAGGED.key, **as_user())
    SavedRoute.objects.filter(pk=waiting.pk).update(status=RouteStatus.SAVED)  # a DB writer
    with pytest.raises(CaseActionRefused, match="does not match its seal"):
        book(case, SavedRoute.objects.get(pk=waiting.pk))


def test_it_refuses_a_person_of_another_case(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    other, _saved = planning_case(world, monkeypatch)
    with pytest.raises(CaseActionRefused, match="people of this case"):
        do_book_route(case, saved_route=saved, travellers=list(other.people.all()), **as_user())
    with pytest.raises(CaseActionRefused, match="who travels"):
        do_book_route(case, saved_route=saved, travellers=[], **as_user())


def test_it_ticks_documents_sealed_once_each(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    person = case.people.get(is_primary=True)
    do_tick_document(booking, person=person, item=ChecklistItem.VISAS, **as_user())
    content = opened(booking).content
    assert content is not None
    assert content.ticked(person.pk, ChecklistItem.VISAS)
    assert not content.ticked(person.pk, ChecklistItem.PASSPORT)
    [tick] = content.ticks
    assert tick.by == User.objects.get(username="caseworker").pk
    with pytest.raises(CaseActionRefused, match="ticked already"):
        do_tick_document(booking, person=person, item=ChecklistItem.VISAS, **as_user())
    with pytest.raises(CaseActionRefused, match="checklist"):
        do_tick_document(booking, person=person, item="tickets", **as_user())
    assert details(EventType.BOOKING_DOCUMENT_TICKED) == [
        f"booking #{booking.pk} person #{person.pk} visas"
    ]


def test_it_refuses_to_confirm_naming_what_is_missing(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    fill_segment(booking, 1)
    person = case.people.get(is_primary=True)
    do_tick_document(booking, person=person, item=ChecklistItem.PASSPORT, **as_user())
    with pytest.raises(CaseActionRefused) as refused:
        do_confirm_booking(booking, **as_user())
    message = str(refused.value)
    assert "segment 2 has no times, carrier or reference" in message
    assert "Main person: Visas or entry permissions in hand (or none needed) not ticked" in message
    assert "Letters" in message
    assert "Passport" not in message
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.DRAFT
    case.refresh_from_db()
    assert case.state == CaseState.PLANNING


def test_it_confirms_and_moves_the_case_to_travel_booked_through_the_workflow(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    fill_segment(booking, 1)
    fill_segment(booking, 2)
    tick_all(booking, case)
    confirmed = do_confirm_booking(booking, **as_user())
    assert confirmed.status == BookingStatus.CONFIRMED
    assert opened(booking).content is not None  # sealed again with the status bound in
    case.refresh_from_db()
    assert case.state == CaseState.TRAVEL_BOOKED
    assert details(EventType.BOOKING_CONFIRMED) == [f"booking #{booking.pk}"]
    assert "planning -> travel_booked" in details(EventType.CASE_MOVED)
    with pytest.raises(CaseActionRefused, match="confirmed"):
        fill_segment(booking, 1)


def test_it_cancels_a_confirmed_booking_and_moves_the_case_back_to_planning(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    fill_segment(booking, 1)
    fill_segment(booking, 2)
    tick_all(booking, case)
    do_confirm_booking(booking, **as_user())
    with pytest.raises(CaseActionRefused, match="reason"):
        do_cancel_booking(booking, reason=" ", **as_user())
    do_cancel_booking(booking, reason="The flight was cancelled.", **as_user())
    content = opened(booking).content
    assert content is not None
    assert content.cancel_reason == "The flight was cancelled."
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    case.refresh_from_db()
    assert case.state == CaseState.PLANNING
    assert details(EventType.BOOKING_CANCELLED) == [f"booking #{booking.pk}"]
    with pytest.raises(CaseActionRefused, match="cancelled"):
        do_confirm_booking(booking, **as_user())


def test_a_booking_switched_to_confirmed_in_the_database_no_longer_opens(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CONFIRMED)
    assert opened(booking).forged
    with pytest.raises(CaseActionRefused, match="does not match its seal"):
        do_cancel_booking(booking, reason="Forged.", **as_user())


def test_a_tick_copied_from_another_booking_does_not_open(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    ticked, other = book(case, saved), book(case, saved)
    tick_all(ticked, case)
    sealed = Booking.objects.get(pk=ticked.pk).details
    Booking.objects.filter(pk=other.pk).update(details=sealed)  # a database writer's copy
    assert opened(other).forged
    assert not opened(ticked).forged


def test_no_audit_detail_names_a_place_a_carrier_or_a_reference(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    fill_segment(booking, 1)
    fill_segment(booking, 2)
    tick_all(booking, case)
    do_confirm_booking(booking, **as_user())
    for event in AuditEvent.objects.all():
        assert not any(word in event.detail for word in WORDS), event.detail
    assert SAFE.key  # the route of the helpers


def ready(case: Case, booking: Booking, *numbers: int) -> None:
    """Every segment of ``numbers`` booked and every traveller's checklist ticked."""
    for number in numbers:
        fill_segment(booking, number)
    tick_all(booking, case)


def test_it_refuses_a_booking_by_hand_confirmed_by_its_caseworker(world, monkeypatch):
    case, _saved = planning_case(world, monkeypatch)
    booking = book(case)
    fill_segment(booking, None, from_place="GRV", to_place="DXB")
    tick_all(booking, case)
    with pytest.raises(CaseActionRefused, match="Only a supervisor"):
        do_confirm_booking(booking, **as_user())
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.DRAFT
    case.refresh_from_db()
    assert case.state == CaseState.PLANNING


def test_it_refuses_segments_that_differ_from_the_route_unless_a_supervisor_confirms(
    world, monkeypatch
):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    ready(case, booking, 1, 2)
    fill_segment(booking, None, from_place="BER", to_place="DXB")
    with pytest.raises(CaseActionRefused, match="differ from its saved route"):
        do_confirm_booking(booking, **as_user())
    do_confirm_booking(booking, **as_user("supervisor"))
    case.refresh_from_db()
    assert case.state == CaseState.TRAVEL_BOOKED


def test_it_lets_a_supervisor_who_did_not_start_it_confirm_a_booking_by_hand(world, monkeypatch):
    case, _saved = planning_case(world, monkeypatch)
    booking = book(case)
    fill_segment(booking, None, from_place="Nalchik", to_place="Tbilisi")
    tick_all(booking, case)
    do_confirm_booking(booking, **as_user("supervisor"))
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    case.refresh_from_db()
    assert case.state == CaseState.TRAVEL_BOOKED


def test_it_refuses_a_booking_by_hand_confirmed_by_the_supervisor_who_started_it(
    world, monkeypatch
):
    case, _saved = planning_case(world, monkeypatch)
    booking = book(case, username="supervisor")
    fill_segment(booking, None, from_place="Nalchik", to_place="Tbilisi")
    tick_all(booking, case)
    with pytest.raises(CaseActionRefused, match="who did not start it"):
        do_confirm_booking(booking, **as_user("supervisor"))


def test_it_refuses_to_confirm_a_booking_whose_route_was_withdrawn_since(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    ready(case, booking, 1, 2)
    do_withdraw_route(saved, reason="Detentions at that border.", **as_user())
    for username in ("caseworker", "supervisor"):
        with pytest.raises(CaseActionRefused, match="withdrawn"):
            do_confirm_booking(booking, **as_user(username))
    SavedRoute.objects.filter(pk=saved.pk).update(status=RouteStatus.SAVED)  # a database writer
    with pytest.raises(CaseActionRefused, match="does not match its seal"):
        do_confirm_booking(booking, **as_user("supervisor"))
    case.refresh_from_db()
    assert case.state == CaseState.PLANNING


def test_it_refuses_to_withdraw_a_route_while_a_confirmed_booking_comes_from_it(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    ready(case, booking, 1, 2)
    do_confirm_booking(booking, **as_user())
    with pytest.raises(CaseActionRefused, match="cancel the booking first"):
        do_withdraw_route(saved, reason="Detentions at that border.", **as_user())
    assert SavedRoute.objects.get(pk=saved.pk).status == RouteStatus.SAVED
    do_cancel_booking(booking, reason="The border closed.", **as_user())
    do_withdraw_route(saved, reason="Detentions at that border.", **as_user())
    assert SavedRoute.objects.get(pk=saved.pk).status == RouteStatus.WITHDRAWN


def test_a_forged_confirmed_booking_does_not_keep_the_case_travel_booked(world, monkeypatch):
    case, saved = planning_case(world, monkeypatch)
    booking = book(case, saved)
    ready(case, booking, 1, 2)
    do_confirm_booking(booking, **as_user())
    genuine = Booking.objects.get(pk=booking.pk)
    Booking.objects.create(  # a database writer's junk row
        record_id=genuine.record_id,
        case=case,
        status=BookingStatus.CONFIRMED,
        details=genuine.details,
    )
    do_cancel_booking(booking, reason="The flight was cancelled.", **as_user())
    case.refresh_from_db()
    assert case.state == CaseState.PLANNING
