"""What a partner writes about a person never lands on disk or in a log in clear: a referral
from the portal and one from a batch file, then the raw SQLite file and its WAL, and every
log line (SQL with its parameters included), are searched for the sentinels and their
normalised forms (a hint kept in clear would hold one of those)."""

import logging
import unicodedata

import pytest
from django.db import connection

from safehaven.intake.choices import RequestChannel
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import opened_request
from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    raw_sqlite_bytes,
)
from safehaven.partners.referrals.actions import do_import_referrals
from safehaven.partners.tests.referral_helpers import csv_text, refer, referral_data

NAME = unicodedata.normalize("NFD", "Zoë Wyvernholm-Astrakhova")
IMPORTED_NAME = "Quennelby Marchbank"
SITUATION = "Sentinel-Situation-Thornquist was detained"
IMPORTED_SITUATION = "Sentinel-Imported-Gorseway is hiding"
PHONE = "+7 999 555 01 99"
HANDLE = "@sentinel_kestrel"
EMAIL = "zorblax.sentinel@example.org"
REGION = "Sentinel-Region-Hollowmere"
SENTINELS = (NAME, IMPORTED_NAME, SITUATION, IMPORTED_SITUATION, PHONE, HANDLE, EMAIL, REGION)


def refer_and_import(world) -> list[HelpRequest]:
    made = refer(world, known_as=NAME, situation=SITUATION, contact=PHONE, region=REGION)
    rows = [
        referral_data(
            known_as=IMPORTED_NAME,
            situation=IMPORTED_SITUATION,
            contact_method="telegram",
            contact=HANDLE,
        ),
        referral_data(contact_method="email", contact=EMAIL),
    ]
    imported = do_import_referrals(
        csv_text(rows),
        organisation=world.partner_a,
        channel=RequestChannel.IMPORT,
        actor=world.users["partner_a"],
    )
    return [made, *imported]


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_what_a_partner_wrote_to_the_sqlite_file_its_wal_or_logs(world, caplog):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True  # log every SQL statement with its parameters
    try:
        stored = refer_and_import(world)
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    # They really were stored, and open.
    assert opened_request(stored[0], "partner_a").sealed("known_as") == unicodedata.normalize(
        "NFC", NAME
    )
    assert opened_request(stored[1]).sealed("situation") == IMPORTED_SITUATION
    raw = raw_sqlite_bytes()
    assert b"partners.referral_made" in raw  # a clear column is found, so the search works
    for secret in SENTINELS:
        assert forms_found_in(raw, secret) == [], secret
        assert forms_found_in_text(caplog.text, secret) == [], secret
