"""What scheduling, checking in (from the status page and after a call) and cancelling write:
places, time zones, notes and reasons only sealed, in the file, its WAL, any PostgreSQL column
and the SQL log."""

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
from safehaven.travel.check_ins.actions import do_cancel_check_in, do_log_check_in
from safehaven.travel.models import ExpectedCheckIn
from safehaven.travel.tests.booking_helpers import as_user
from safehaven.travel.tests.check_in_helpers import (
    ARRIVAL,
    DANGER,
    TRANSIT,
    check_in_from_status_page,
    journey_case,
    schedule,
    window,
)

PLACE = "Sentinel-Place-Vortholm"
TRANSIT_PLACE = "Sentinel-Place-Quillibrae"
ZONE = "America/Argentina/Ushuaia"
NOTE = "Sentinel-Note Marrowgate heard a second voice"
REASON = "Sentinel-Cancel Thistlecombe waits a week"
SECRETS = (PLACE, TRANSIT_PLACE, ZONE, NOTE, REASON)
COVERED = {(ExpectedCheckIn, "details"), (ExpectedCheckIn, "report")}


def journey(world, caplog, monkeypatch) -> None:
    _case, booking, codename = journey_case(world, monkeypatch)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    try:
        _first, second, third = schedule(
            booking,
            window(place=PLACE, zone=ZONE),
            window(TRANSIT, opens_in=-1, hours=4, place=TRANSIT_PLACE),
            window(ARRIVAL, opens_in=3, place=PLACE),
        )
        check_in_from_status_page(codename, DANGER)
        do_log_check_in(second, in_danger=False, note=NOTE, **as_user())
        do_cancel_check_in(third, reason=REASON, **as_user())
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    for secret in SECRETS:
        assert forms_found_in_text(caplog.text, secret) == [], secret


def test_it_covers_every_sealed_field_of_a_check_in():
    assert {(ExpectedCheckIn, name) for name in ExpectedCheckIn.sealed_field_names()} == COVERED


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_a_check_in_in_clear_to_sqlite(world, caplog, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    journey(world, caplog, monkeypatch)
    raw = raw_sqlite_bytes()
    assert b"status_page" in raw  # the clear way of a check-in is found: the search means something
    for secret in SECRETS:
        assert forms_found_in(raw, secret) == [], secret


@pytest.mark.django_db(transaction=True)
def test_it_never_stores_a_check_in_in_any_postgresql_column(world, caplog, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (the SQLite test reads the file instead)")
    journey(world, caplog, monkeypatch)
    for secret in SECRETS:
        assert postgres_columns_containing_any_form(secret) == [], secret
