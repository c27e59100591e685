"""The ticket files' pages and the case page's "Ticket files" panel, with real logins
(travel.tickets.views, travel.tickets.panels)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from safehaven.cases.models import CaseAssignment
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.travel.bookings.actions import do_book_route, do_cancel_booking
from safehaven.travel.models import Booking, TicketFile
from safehaven.travel.tests.booking_helpers import as_user, book, planning_case
from safehaven.travel.tests.helpers import primary_person
from safehaven.travel.tests.ticket_helpers import (
    add_ticket,
    household_booking,
    pdf_bytes,
    png_bytes,
    upload,
)
from safehaven.travel.tickets.panels import tickets_panel

pytestmark = pytest.mark.django_db


def add_url(booking: Booking) -> str:
    return reverse(
        "travel-add-ticket-file", kwargs={"case_id": booking.case_id, "booking_id": booking.pk}
    )


def ticket_url(name: str, ticket: TicketFile, case_id: int | None = None) -> str:
    kwargs = {
        "case_id": case_id or ticket.case_id,
        "booking_id": ticket.booking_id,
        "ticket_id": ticket.pk,
    }
    return reverse(name, kwargs=kwargs)


def case_page(client, case) -> str:
    response = client.get(reverse("cases-show-case", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_it_adds_lists_downloads_and_removes_a_file_from_the_pages(world, monkeypatch):
    case, booking, second = household_booking(world, monkeypatch)
    client = staff_client_with_keys(world, "caseworker")
    html = case_page(client, case)
    assert 'id="tickets"' in html
    assert add_url(booking) in html
    assert 'enctype="multipart/form-data"' in html.split('id="tickets"')[1]
    posted = {"traveller": second.pk, "file": upload(pdf_bytes(), "Pass Tbilisi.pdf")}
    response = client.post(add_url(booking), posted)
    assert response.status_code == 302
    ticket = TicketFile.objects.get(booking=booking)
    html = case_page(client, case)
    assert "Ticket file added and sealed." in html
    tickets = html.split('id="tickets"')[1]
    member = f"Household member #{second.pk}"
    assert member in tickets
    assert tickets.index(member) < tickets.index("Pass Tbilisi.pdf")
    assert ticket_url("travel-download-ticket-file", ticket) in tickets
    response = client.get(ticket_url("travel-download-ticket-file", ticket))
    assert response.status_code == 200
    assert response.content == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="ticket-{booking.pk}-{ticket.pk}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert AuditEvent.objects.filter(event_type=EventType.TICKET_FILE_OPENED).count() == 1
    assert client.get(ticket_url("travel-remove-ticket-file", ticket)).status_code == 200
    response = client.post(ticket_url("travel-remove-ticket-file", ticket), {"reason": "Old."})
    assert response.status_code == 302
    html = case_page(client, case)
    assert "Ticket file removed." in html
    assert ticket_url("travel-download-ticket-file", ticket) not in html
    assert "1 file removed" in html
    response = client.get(ticket_url("travel-download-ticket-file", ticket), follow=True)
    assert "This ticket file was removed." in response.content.decode()
    assert AuditEvent.objects.filter(event_type=EventType.TICKET_FILE_OPENED).count() == 1


def test_an_image_downloads_as_an_attachment_too(world, monkeypatch):
    _case, booking, _second = household_booking(world, monkeypatch)
    ticket = add_ticket(booking, png_bytes(), name="pass.png")
    client = staff_client_with_keys(world, "caseworker")
    response = client.get(ticket_url("travel-download-ticket-file", ticket))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith('.png"')


def test_it_shows_the_form_again_on_bad_input(world, monkeypatch):
    _case, booking, second = household_booking(world, monkeypatch)
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(add_url(booking), {"file": upload(b"<html></html>", "x.pdf")})
    assert response.status_code == 200
    assert "must be a PDF or an image" in response.content.decode()
    response = client.post(add_url(booking), {"traveller": 999999, "file": upload(pdf_bytes())})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = client.post(add_url(booking), {"traveller": second.pk})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert not TicketFile.objects.exists()


def test_it_refuses_a_traveller_not_on_the_booking_from_the_page(world, monkeypatch):
    case, _booking, second = household_booking(world, monkeypatch)
    only_main = do_book_route(
        case, saved_route=None, travellers=[primary_person(case)], **as_user()
    )
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(
        add_url(only_main), {"traveller": second.pk, "file": upload(pdf_bytes())}
    )
    assert response.status_code == 200
    assert "This person does not travel on this booking." in response.content.decode()
    html = case_page(client, case)
    panel = html.split(f'id="booking-{only_main.pk}-tickets"')[1].split("</article>")[0]
    assert f'value="{second.pk}"' not in panel
    assert f'value="{primary_person(case).pk}"' in panel


def test_a_caseworker_not_assigned_gets_404_and_an_interpreter_403(world, monkeypatch):
    case, booking, _second = household_booking(world, monkeypatch)
    ticket = add_ticket(booking)
    other, _saved = planning_case(world, monkeypatch)
    client = staff_client_with_keys(world, "caseworker")
    # The caseworker's other case, with this booking's ids: not found there.
    for name in ("travel-download-ticket-file", "travel-remove-ticket-file"):
        assert client.get(ticket_url(name, ticket, case_id=other.pk)).status_code == 404
    wrong_booking = reverse(
        "travel-download-ticket-file",
        kwargs={"case_id": other.pk, "booking_id": book(other).pk, "ticket_id": ticket.pk},
    )
    assert client.get(wrong_booking).status_code == 404
    interpreter = staff_client_with_keys(world, "interpreter")
    assert interpreter.get(ticket_url("travel-download-ticket-file", ticket)).status_code == 403
    assert interpreter.post(add_url(booking), {"file": upload(pdf_bytes())}).status_code == 403
    CaseAssignment.objects.filter(case=case, user=world.users["caseworker"]).delete()
    assert client.get(ticket_url("travel-download-ticket-file", ticket)).status_code == 404
    assert client.post(ticket_url("travel-remove-ticket-file", ticket)).status_code == 404
    assert client.post(add_url(booking), {"file": upload(pdf_bytes())}).status_code == 404
    assert TicketFile.objects.filter(removed_at__isnull=True).count() == 1
    assert not AuditEvent.objects.filter(event_type=EventType.TICKET_FILE_OPENED).exists()


def test_interpreters_and_locked_keys_never_see_the_panel(world, monkeypatch, staff_client):
    case, booking, _second = household_booking(world, monkeypatch)
    add_ticket(booking, name="Sentinel-Name-Ostrava.pdf")
    request = RequestFactory().get("/")
    request.user = world.users["interpreter"]
    request.session = SessionStore()
    assert tickets_panel(request, case) is None
    html = case_page(staff_client("caseworker"), case)
    assert "Sentinel-Name-Ostrava" not in html
    assert 'id="tickets"' not in html


def test_it_shows_a_forged_file_as_forged_and_refuses_its_download(world, monkeypatch):
    case, booking, _second = household_booking(world, monkeypatch)
    ticket = add_ticket(booking, name="genuine.pdf")
    other = add_ticket(booking, name="other.pdf")
    TicketFile.objects.filter(pk=other.pk).update(details=ticket.details)
    client = staff_client_with_keys(world, "caseworker")
    html = case_page(client, case)
    assert f"Ticket file #{other.pk} does not match its seal" in html
    assert ticket_url("travel-download-ticket-file", other) not in html
    assert ticket_url("travel-download-ticket-file", ticket) in html
    response = client.get(ticket_url("travel-download-ticket-file", other), follow=True)
    assert "This ticket file does not match its seal" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"/staff/cases/{case.pk}/")


def test_a_cancelled_booking_has_no_ticket_panel_entry(world, monkeypatch):
    case, booking, _second = household_booking(world, monkeypatch)
    add_ticket(booking, name="cancelled.pdf")
    do_cancel_booking(booking, reason="Plans changed.", **as_user())
    client = staff_client_with_keys(world, "caseworker")
    html = case_page(client, case)
    assert "cancelled.pdf" not in html
    assert 'id="tickets"' not in html
