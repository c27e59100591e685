"""What saving, allowing and withdrawing a route write: its places, legs, the traveller's
papers and the reasons only sealed, in the file, its WAL, the audit log and the SQL log."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from safehaven.intake.tests.helpers import private_key
from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    postgres_columns_containing_any_form,
    raw_sqlite_bytes,
)
from safehaven.travel.models import SavedRoute
from safehaven.travel.routes.plan import (
    Entry,
    EntryBasis,
    HostilePlace,
    Leg,
    LegMode,
    Route,
    Traveller,
)
from safehaven.travel.saved_routes.actions import (
    do_override_route,
    do_save_route,
    do_withdraw_route,
)
from safehaven.travel.tests.saved_route_helpers import use_plan, verified_case

# Place names that cannot occur by chance in ciphertext: as airport and country codes.
ORIGIN_AIRPORT = "Sentinel-Airport-Quorvanne"
TRANSIT_AIRPORT = "Sentinel-Airport-Melbrisk"
TRANSIT_COUNTRY = "Sentinel-Country-Dravelund"
DESTINATION = "Sentinel-Country-Brelmoor"
ORIGIN = "Sentinel-Country-Ostrevia"
REGION = "Sentinel-Region-Tallowmere"
PASSPORT = "Sentinel-Passport-Country-Yrsk"
OVERRIDE_REASON = "Sentinel-Override Fennimore transit is airside only"
WITHDRAW_REASON = "Sentinel-Withdraw Carrowby chose the sea route"
SECRETS = (
    ORIGIN_AIRPORT,
    TRANSIT_AIRPORT,
    TRANSIT_COUNTRY,
    DESTINATION,
    ORIGIN,
    REGION,
    PASSPORT,
    OVERRIDE_REASON,
    WITHDRAW_REASON,
)
# Every sealed field of a saved route, each with the sentinels put in it.
COVERED = {
    (SavedRoute, "route"): (ORIGIN_AIRPORT, TRANSIT_AIRPORT, DESTINATION, WITHDRAW_REASON),
    (SavedRoute, "override_reason"): (OVERRIDE_REASON,),
}

TRAVELLER = Traveller(origin_country=ORIGIN, origin_region=REGION, passports=(PASSPORT,))
ROUTE = Route(
    destination=DESTINATION,
    legs=(
        Leg(LegMode.AIR, ORIGIN_AIRPORT, TRANSIT_AIRPORT, ORIGIN, TRANSIT_COUNTRY, 3.0),
        Leg(
            LegMode.LAND,
            TRANSIT_COUNTRY,
            DESTINATION,
            TRANSIT_COUNTRY,
            DESTINATION,
            6.0,
            crossing_status="open",
            entry=Entry(DESTINATION, PASSPORT, EntryBasis.VISA_ON_ARRIVAL),
        ),
    ),
    hours=10.0,
    transit_countries=(TRANSIT_COUNTRY,),
    hostile_transits=(HostilePlace(TRANSIT_COUNTRY, REGION),),
)


def save_allow_withdraw(world, caplog, monkeypatch) -> None:
    use_plan(monkeypatch, ROUTE)
    case = verified_case(world)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    try:
        saved = do_save_route(
            case,
            traveller=TRAVELLER,
            route_key=ROUTE.key,
            actor=world.users["caseworker"],
            private_key=private_key("caseworker"),
        )
        do_override_route(
            saved,
            reason=OVERRIDE_REASON,
            actor=world.users["supervisor"],
            private_key=private_key("supervisor"),
        )
        do_withdraw_route(
            saved,
            reason=WITHDRAW_REASON,
            actor=world.users["caseworker"],
            private_key=private_key("caseworker"),
        )
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    for secret in SECRETS:
        assert forms_found_in_text(caplog.text, secret) == [], secret


def test_it_covers_every_sealed_field_of_a_saved_route():
    assert {(SavedRoute, name) for name in SavedRoute.sealed_field_names()} == set(COVERED)


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_a_route_or_a_reason_in_clear_to_sqlite(world, caplog, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    save_allow_withdraw(world, caplog, monkeypatch)
    raw = raw_sqlite_bytes()
    assert b"withdrawn" in raw  # the clear status is found: the search means something
    for secret in SECRETS:
        assert forms_found_in(raw, secret) == [], secret


@pytest.mark.django_db(transaction=True)
def test_it_never_stores_a_route_or_a_reason_in_any_postgresql_column(world, caplog, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (the SQLite test reads the file instead)")
    save_allow_withdraw(world, caplog, monkeypatch)
    for secret in SECRETS:
        assert postgres_columns_containing_any_form(secret) == [], secret
