"""What booking, recording segments, ticking, confirming and cancelling write: places, times,
carrier, reference and the cancellation's reason only sealed, in the file, its WAL, any
PostgreSQL column and the SQL log."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.db import connection

from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    postgres_columns_containing_any_form,
    raw_sqlite_bytes,
)
from safehaven.travel.bookings.actions import do_cancel_booking, do_confirm_booking
from safehaven.travel.models import Booking
from safehaven.travel.tests.booking_helpers import (
    as_user,
    book,
    fill_segment,
    planning_case,
    tick_all,
)

FROM_PLACE = "Sentinel-Place-Quorvanne"
TO_PLACE = "Sentinel-Place-Melbrisk"
CARRIER = "Sentinel-Carrier-Dravelund"
REFERENCE = "Sentinel-Reference-Brelmoor"
REASON = "Sentinel-Cancel Carrowby chose the sea route"
DEPARTS = datetime.datetime(2031, 7, 23, 4, 17, tzinfo=datetime.UTC)  # as text: 2031-07-23T04:17
SECRETS = (FROM_PLACE, TO_PLACE, CARRIER, REFERENCE, REASON, "2031-07-23")
COVERED = {(Booking, "details")}


def book_confirm_cancel(world, caplog, monkeypatch) -> None:
    case, _saved = planning_case(world, monkeypatch)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    try:
        booking = book(case)
        fill_segment(
            booking,
            None,
            from_place=FROM_PLACE,
            to_place=TO_PLACE,
            carrier=CARRIER,
            reference=REFERENCE,
            departs=DEPARTS,
            arrives=DEPARTS + datetime.timedelta(hours=3),
        )
        tick_all(booking, case)
        do_confirm_booking(booking, **as_user("supervisor"))  # entered by hand: a second look
        do_cancel_booking(booking, reason=REASON, **as_user())
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    for secret in SECRETS:
        assert forms_found_in_text(caplog.text, secret) == [], secret


def test_it_covers_every_sealed_field_of_a_booking():
    assert {(Booking, name) for name in Booking.sealed_field_names()} == COVERED


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_a_booking_in_clear_to_sqlite(world, caplog, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    book_confirm_cancel(world, caplog, monkeypatch)
    raw = raw_sqlite_bytes()
    assert b"cancelled" in raw  # the clear status is found: the search means something
    for secret in SECRETS:
        assert forms_found_in(raw, secret) == [], secret


@pytest.mark.django_db(transaction=True)
def test_it_never_stores_a_booking_in_any_postgresql_column(world, caplog, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (the SQLite test reads the file instead)")
    book_confirm_cancel(world, caplog, monkeypatch)
    for secret in SECRETS:
        assert postgres_columns_containing_any_form(secret) == [], secret
