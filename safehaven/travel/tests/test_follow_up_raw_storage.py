"""What arrival and follow-ups write: the reason of the arrival and each topic's note only
sealed, in the file, its WAL, the audit log, PostgreSQL's columns and the SQL log."""

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
from safehaven.travel.follow_ups.actions import do_confirm_arrival
from safehaven.travel.models import FollowUp
from safehaven.travel.tests.follow_up_helpers import in_transit_case, log, worker

ARRIVAL = "Sentinel Corrowdale reached the Haskett shelter"
HOUSING = "Sentinel Mirefield room above the bakery"
LEGAL = "Sentinel Thornaby asylum interview"
HEALTH = "Sentinel Ullswick clinic letter"
EMOTIONAL = "Sentinel Varrow support group"
SECRETS = (ARRIVAL, HOUSING, LEGAL, HEALTH, EMOTIONAL)

# Every sealed field of a follow-up, each with the sentinels put in it.
COVERED = {(FollowUp, "notes"): (HOUSING, LEGAL, HEALTH, EMOTIONAL)}


def work_on_follow_ups(world, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    case = in_transit_case(world)
    connection.force_debug_cursor = True
    try:
        rows = do_confirm_arrival(case, reason=ARRIVAL, **worker(world))
        log(world, rows[0], "unreachable", housing=HOUSING, legal_status=LEGAL)
        log(world, FollowUp.objects.get(pk=rows[0].pk), "done", health=HEALTH)
        for row in rows[1:]:
            log(world, row, "ended", emotional_support=EMOTIONAL)
    finally:
        connection.force_debug_cursor = False
    case.refresh_from_db()
    assert case.is_closed  # the whole path ran, closing included
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    for secret in SECRETS:
        assert forms_found_in_text(caplog.text, secret) == [], secret


def test_it_covers_every_sealed_field_of_a_follow_up():
    assert {(FollowUp, name) for name in FollowUp.sealed_field_names()} <= set(COVERED)


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_a_note_in_clear_to_sqlite(world, caplog):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    work_on_follow_ups(world, caplog)
    raw = raw_sqlite_bytes()
    assert (
        b"unreachable" in raw or b"ended" in raw
    )  # clear outcomes found: the search means something
    for secret in SECRETS:
        assert forms_found_in(raw, secret) == [], secret


@pytest.mark.django_db(transaction=True)
def test_it_never_stores_a_note_in_any_postgresql_column(world, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (the SQLite test reads the file instead)")
    work_on_follow_ups(world, caplog)
    for secret in SECRETS:
        assert postgres_columns_containing_any_form(secret) == [], secret
