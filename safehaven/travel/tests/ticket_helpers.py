"""Helpers for the ticket file tests: a household's booking (two travellers), small PDF and
image files as a browser sends them, a ticket file added as the caseworker adds one, and its
details opened."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from safehaven.accounts.models import User
from safehaven.cases.models import Case, CasePerson
from safehaven.cases.opening.actions import do_join_household
from safehaven.intake.tests.helpers import latest_request, private_key, submit_request
from safehaven.travel.compartment import open_travel
from safehaven.travel.models import Booking, TicketFile
from safehaven.travel.tests.booking_helpers import as_user, book, planning_case
from safehaven.travel.tickets.actions import do_add_ticket_file
from safehaven.travel.tickets.queries import OpenedTicketFile, open_ticket_details


def pdf_bytes(text: str = "Boarding pass") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
        + f"% {text}\n".encode()
        + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def png_bytes(comment: str = "") -> bytes:
    """A small PNG, with ``comment`` in a text chunk (metadata the re-encoding must drop)."""
    info = PngImagePlugin.PngInfo()
    if comment:
        info.add_text("Comment", comment)
    output = BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(output, format="PNG", pnginfo=info)
    return output.getvalue()


def jpeg_bytes() -> bytes:
    output = BytesIO()
    Image.new("RGB", (40, 20), (30, 30, 200)).save(output, format="JPEG")
    return output.getvalue()


def upload(content: bytes, name: str = "boarding-pass.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def household_booking(world: Any, monkeypatch: Any) -> tuple[Case, Booking, CasePerson]:
    """A case being planned whose household has two people (the second joined by triage),
    booked by hand for both; and the second person."""
    case, _saved = planning_case(world, monkeypatch)
    submit_request()
    second = do_join_household(
        case, latest_request(), actor=world.users["triage"], private_key=private_key("triage")
    )
    return case, book(case), second


def add_ticket(
    booking: Booking,
    content: bytes | None = None,
    *,
    name: str = "boarding-pass.pdf",
    traveller: CasePerson | None = None,
    username: str = "caseworker",
) -> TicketFile:
    return do_add_ticket_file(
        booking,
        upload=upload(pdf_bytes() if content is None else content, name),
        traveller=traveller,
        **as_user(username),
    )


def opened_ticket(ticket: TicketFile, username: str = "caseworker") -> OpenedTicketFile:
    row = TicketFile.objects.get(pk=ticket.pk)
    travel = open_travel(
        row.case, actor=User.objects.get(username=username), private_key=private_key(username)
    )
    assert travel is not None
    return open_ticket_details(row, travel)
