"""What adding, opening and removing ticket files write: a file's bytes, its name and a
removal's reason only sealed, in the SQLite file and its WAL, any PostgreSQL column and the SQL
log."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    postgres_columns_containing_any_form,
    raw_sqlite_bytes,
)
from safehaven.travel.models import TicketFile
from safehaven.travel.tests.booking_helpers import as_user
from safehaven.travel.tests.helpers import primary_person
from safehaven.travel.tests.ticket_helpers import add_ticket, household_booking, pdf_bytes
from safehaven.travel.tickets.actions import do_open_ticket_file, do_remove_ticket_file

CONTENT = "Sentinel-Ticket-Passenger-Quillfeather"
NAME = "Sentinel-File-Name-Varnhollow"
REASON = "Sentinel-Removal Tamsworth boards another day"
SECRETS = (CONTENT, NAME, REASON)
COVERED = {(TicketFile, "content"), (TicketFile, "details")}


def add_open_remove(world, caplog, monkeypatch) -> None:
    case, booking, _second = household_booking(world, monkeypatch)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    try:
        ticket = add_ticket(
            booking, pdf_bytes(CONTENT), name=f"{NAME}.pdf", traveller=primary_person(case)
        )
        assert CONTENT.encode() in do_open_ticket_file(ticket, **as_user()).content
        do_remove_ticket_file(ticket, reason=REASON, **as_user())
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    for secret in SECRETS:
        assert forms_found_in_text(caplog.text, secret) == [], secret


def test_it_covers_every_sealed_field_of_a_ticket_file():
    assert {(TicketFile, name) for name in TicketFile.sealed_field_names()} == COVERED


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_a_ticket_file_in_clear_to_sqlite(world, caplog, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    add_open_remove(world, caplog, monkeypatch)
    raw = raw_sqlite_bytes()
    assert b"travel_ticketfile" in raw  # the table is in the file: the search means something
    for secret in SECRETS:
        assert forms_found_in(raw, secret) == [], secret


@pytest.mark.django_db(transaction=True)
def test_it_never_stores_a_ticket_file_in_any_postgresql_column(world, caplog, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (the SQLite test reads the file instead)")
    add_open_remove(world, caplog, monkeypatch)
    for secret in SECRETS:
        assert postgres_columns_containing_any_form(secret) == [], secret
