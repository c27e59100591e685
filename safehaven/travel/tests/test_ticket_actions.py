"""Adding ticket files to a booking, opening and removing them (travel.tickets.actions)."""

from __future__ import annotations

from io import BytesIO

import pytest

from safehaven.cases.choices import CaseState, CompartmentKind
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.core.uploads.handlers import OversizeUpload
from safehaven.travel.bookings.actions import do_book_route, do_cancel_booking
from safehaven.travel.models import TicketFile
from safehaven.travel.tests.booking_helpers import as_user, planning_case
from safehaven.travel.tests.helpers import primary_person
from safehaven.travel.tests.ticket_helpers import (
    add_ticket,
    household_booking,
    jpeg_bytes,
    opened_ticket,
    pdf_bytes,
    png_bytes,
    upload,
)
from safehaven.travel.tickets import actions
from safehaven.travel.tickets.actions import (
    do_add_ticket_file,
    do_open_ticket_file,
    do_remove_ticket_file,
)
from safehaven.travel.tickets.files import MAX_TICKET_BYTES

pytestmark = pytest.mark.django_db

FORGED = "This ticket file does not match its seal: it cannot be trusted."


def details(event_type: EventType) -> list[str]:
    return [e.detail for e in AuditEvent.objects.filter(event_type=event_type).order_by("pk")]


def test_it_seals_a_file_for_each_traveller_and_the_whole_booking(world, monkeypatch):
    case, booking, second = household_booking(world, monkeypatch)
    main = primary_person(case)
    for_main = add_ticket(booking, pdf_bytes("main"), name="main.pdf", traveller=main)
    for_second = add_ticket(booking, png_bytes(), name="second.png", traveller=second)
    receipt = add_ticket(booking, name="receipt.pdf")
    assert for_main.record_id == case.compartment_record_id(CompartmentKind.TRAVEL)
    shown = {ticket.pk: opened_ticket(ticket).details for ticket in (for_main, for_second, receipt)}
    assert [(d.name, d.content_type, d.traveller) for d in shown.values() if d] == [
        ("main.pdf", "application/pdf", main.pk),
        ("second.png", "image/png", second.pk),
        ("receipt.pdf", "application/pdf", None),
    ]
    opened = do_open_ticket_file(for_main, **as_user())
    assert opened.content == pdf_bytes("main")
    assert opened.download_name == f"ticket-{booking.pk}-{for_main.pk}.pdf"
    assert details(EventType.TICKET_FILE_ADDED) == [
        f"booking #{booking.pk} ticket #{for_main.pk} for person #{main.pk}",
        f"booking #{booking.pk} ticket #{for_second.pk} for person #{second.pk}",
        f"booking #{booking.pk} ticket #{receipt.pk} for the whole booking",
    ]
    assert details(EventType.TICKET_FILE_OPENED) == [f"booking #{booking.pk} ticket #{for_main.pk}"]


def test_it_re_encodes_an_image_without_its_metadata(world, monkeypatch):
    _case, booking, _second = household_booking(world, monkeypatch)
    ticket = add_ticket(booking, png_bytes("Sentinel-Exif-Holborrow"), name="pass.png")
    opened = do_open_ticket_file(ticket, **as_user())
    assert opened.content.startswith(b"\x89PNG")
    assert b"Sentinel-Exif-Holborrow" not in opened.content
    photo = add_ticket(booking, jpeg_bytes(), name="photo.jpg")
    assert do_open_ticket_file(photo, **as_user()).details.content_type == "image/jpeg"


@pytest.mark.parametrize(
    "content",
    [
        b"<html><script>alert(1)</script></html>",
        b"MZ\x90\x00 an executable named like a ticket",
        b" \n%PDF-1.4 a header that does not start the file",
        b"",
    ],
)
def test_it_refuses_what_is_neither_a_pdf_nor_an_image(world, monkeypatch, content):
    _case, booking, _second = household_booking(world, monkeypatch)
    with pytest.raises(CaseActionRefused, match="must be a PDF or an image"):
        add_ticket(booking, content, name="ticket.pdf")
    assert not TicketFile.objects.exists()


def test_it_refuses_a_damaged_image(world, monkeypatch):
    _case, booking, _second = household_booking(world, monkeypatch)
    with pytest.raises(CaseActionRefused, match="could not be read"):
        add_ticket(booking, png_bytes()[:60], name="pass.png")
    assert not TicketFile.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(world, monkeypatch):
    _case, booking, _second = household_booking(world, monkeypatch)
    too_big = b"%PDF-1.4\n" + b"0" * MAX_TICKET_BYTES
    with pytest.raises(CaseActionRefused, match="larger than 10 MB"):
        add_ticket(booking, too_big)
    dropped = OversizeUpload(BytesIO(), "file", "big.pdf", "application/pdf", 20_000_000, None)
    with pytest.raises(CaseActionRefused, match="larger than 10 MB"):
        do_add_ticket_file(booking, upload=dropped, traveller=None, **as_user())
    assert not TicketFile.objects.exists()


def test_it_caps_the_files_of_a_booking_removed_ones_not_counted(world, monkeypatch):
    _case, booking, _second = household_booking(world, monkeypatch)
    monkeypatch.setattr(actions, "MAX_FILES_PER_BOOKING", 3)
    tickets = [add_ticket(booking) for _ in range(3)]
    with pytest.raises(CaseActionRefused, match="already holds 3 ticket files"):
        add_ticket(booking)
    do_remove_ticket_file(tickets[0], **as_user())
    add_ticket(booking)
    assert TicketFile.objects.filter(booking=booking).count() == 4


def test_it_caps_the_bytes_of_a_booking_removed_ones_counted(world, monkeypatch):
    _case, booking, _second = household_booking(world, monkeypatch)
    first = add_ticket(booking)
    monkeypatch.setattr(actions, "MAX_BYTES_PER_BOOKING", len(bytes(first.content)) + 10)
    do_remove_ticket_file(first, **as_user())
    with pytest.raises(CaseActionRefused, match="would take more than"):
        add_ticket(booking)


def test_it_refuses_a_cancelled_booking_and_a_closed_case(world, monkeypatch):
    _case, booking, _second = household_booking(world, monkeypatch)
    ticket = add_ticket(booking)
    do_cancel_booking(booking, reason="Plans changed.", **as_user())
    with pytest.raises(CaseActionRefused, match=r"This booking was cancelled\."):
        add_ticket(booking)
    # Removing adds nothing: still allowed on a cancelled booking.
    do_remove_ticket_file(ticket, **as_user())
    other, _saved = planning_case(world, monkeypatch)
    booking = do_book_route(
        other, saved_route=None, travellers=[primary_person(other)], **as_user()
    )
    kept = add_ticket(booking)
    Case.objects.filter(pk=other.pk).update(state=CaseState.CLOSED)
    booking.case.refresh_from_db()
    with pytest.raises(CaseActionRefused, match="This case is closed"):
        add_ticket(booking)
    with pytest.raises(CaseActionRefused, match="This case is closed"):
        do_remove_ticket_file(kept, **as_user())


def test_it_refuses_someone_who_does_not_travel_on_the_booking(world, monkeypatch):
    case, _booking, second = household_booking(world, monkeypatch)
    only_main = do_book_route(
        case, saved_route=None, travellers=[primary_person(case)], **as_user()
    )
    with pytest.raises(CaseActionRefused, match="does not travel on this booking"):
        add_ticket(only_main, traveller=second)
    other, _saved = planning_case(world, monkeypatch)
    with pytest.raises(CaseActionRefused, match="does not travel on this booking"):
        add_ticket(only_main, traveller=primary_person(other))
    assert not TicketFile.objects.exists()


def test_an_interpreter_holds_no_travel_key(world, monkeypatch):
    _case, booking, _second = household_booking(world, monkeypatch)
    ticket = add_ticket(booking)
    with pytest.raises(CaseActionRefused, match="Your key cannot open"):
        do_open_ticket_file(ticket, **as_user("interpreter"))
    with pytest.raises(CaseActionRefused, match="Your key cannot open"):
        add_ticket(booking, username="interpreter")
    with pytest.raises(CaseActionRefused, match="Your key cannot open"):
        do_remove_ticket_file(ticket, **as_user("interpreter"))
    assert details(EventType.TICKET_FILE_OPENED) == []


def test_triage_and_supervisors_hold_the_travel_key(world, monkeypatch):
    _case, booking, _second = household_booking(world, monkeypatch)
    ticket = add_ticket(booking, username="triage")
    assert do_open_ticket_file(ticket, **as_user("supervisor")).content == pdf_bytes()


def test_it_refuses_rows_that_do_not_match_their_seal(world, monkeypatch):
    case, booking, _second = household_booking(world, monkeypatch)
    genuine = add_ticket(booking, pdf_bytes("genuine"))
    other = add_ticket(booking, pdf_bytes("other"))
    # A database writer copies one file's bytes over another's…
    TicketFile.objects.filter(pk=other.pk).update(content=genuine.content)
    with pytest.raises(CaseActionRefused, match=FORGED):
        do_open_ticket_file(other, **as_user())
    # …moves a file to another booking of the case, or inserts a row of garbage.
    second_booking = do_book_route(
        case, saved_route=None, travellers=[primary_person(case)], **as_user()
    )
    TicketFile.objects.filter(pk=genuine.pk).update(booking=second_booking)
    assert opened_ticket(genuine).forged
    with pytest.raises(CaseActionRefused, match=FORGED):
        do_open_ticket_file(genuine, **as_user())
    planted = TicketFile.objects.create(
        record_id=booking.record_id, case=case, booking=booking, content=b"x", details=b"y"
    )
    assert opened_ticket(planted).forged
    with pytest.raises(CaseActionRefused, match=FORGED):
        do_remove_ticket_file(planted, **as_user())
    assert details(EventType.TICKET_FILE_OPENED) == []


def test_it_removes_a_file_which_then_no_longer_opens(world, monkeypatch):
    _case, booking, _second = household_booking(world, monkeypatch)
    ticket = add_ticket(booking)
    removed = do_remove_ticket_file(ticket, reason="Wrong passenger.", **as_user())
    assert removed.removed_at is not None
    shown = opened_ticket(ticket)
    assert shown.details is not None
    assert shown.details.removed_reason == "Wrong passenger."
    with pytest.raises(CaseActionRefused, match=r"This ticket file was removed\."):
        do_open_ticket_file(ticket, **as_user())
    with pytest.raises(CaseActionRefused, match="removed already"):
        do_remove_ticket_file(ticket, **as_user())
    assert details(EventType.TICKET_FILE_REMOVED) == [f"booking #{booking.pk} ticket #{ticket.pk}"]
    # A database writer who clears the removal restores a row that no longer opens.
    TicketFile.objects.filter(pk=ticket.pk).update(removed_at=None)
    assert opened_ticket(ticket).forged
    with pytest.raises(CaseActionRefused, match=FORGED):
        do_open_ticket_file(ticket, **as_user())


def test_it_keeps_only_a_safe_base_name(world, monkeypatch):
    _case, booking, _second = household_booking(world, monkeypatch)
    names = {
        "C:\\Users\\me\\Desktop\\pass.pdf": "pass.pdf",
        "../../etc/pass.pdf": "pass.pdf",
        "evil\u202efdp.exe": "evilfdp.exe",
        "line\nbreak.pdf": "line break.pdf",
        "   ": "ticket",
        "a" * 300 + ".pdf": "a" * 96 + ".pdf",
    }
    for given, kept in names.items():
        ticket = do_add_ticket_file(
            booking, upload=upload(pdf_bytes(), given), traveller=None, **as_user()
        )
        shown = opened_ticket(ticket).details
        assert shown is not None
        assert shown.name == kept, given
