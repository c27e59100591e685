"""What recording a payment through its page writes: the payee's name, account or phone, service
and note and the reference only sealed, in the SQLite file, its WAL, any PostgreSQL column and
the SQL log (finance.disbursements)."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from safehaven.finance.models import Disbursement
from safehaven.finance.tests.grant_view_helpers import browser, funded, grant_url, page, payment
from safehaven.finance.tests.helpers import approved_grant
from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    postgres_columns_containing_any_form,
    raw_sqlite_bytes,
)

NAME = "Sentinel-Payee Marrowick Tessaly"
PHONE = "+99 555 0143 2277"
SERVICE = "Sentinel-Service-Quintara"
NOTE = "Sentinel-Note passed on by Ondrel"
REFERENCE = "Sentinel-Ref-QZ7781"
SECRETS = (NAME, PHONE, SERVICE, NOTE, REFERENCE)
COVERED = {(Disbursement, "payee"), (Disbursement, "reference")}


def pay_through_the_page(world, caplog) -> None:
    grant = approved_grant(world, funded(world, "1000"), "300")
    client = browser(world, "finance")
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    try:
        response = client.post(
            grant_url("finance-record-disbursement", grant),
            payment(
                method="money_transfer",
                amount="275",
                payee_name=NAME,
                payee_account=PHONE,
                payee_service=SERVICE,
                payee_note=NOTE,
                reference=REFERENCE,
            ),
        )
        assert response.status_code == 302
        assert NAME in page(client, grant_url("finance-show-payees", grant))  # it was sealed
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    for secret in SECRETS:
        assert forms_found_in_text(caplog.text, secret) == [], secret


def test_it_covers_every_sealed_field_of_a_payment():
    assert {(Disbursement, name) for name in Disbursement.sealed_field_names()} == COVERED


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_a_payee_in_clear_to_sqlite(world, caplog):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    pay_through_the_page(world, caplog)
    raw = raw_sqlite_bytes()
    assert b"money_transfer" in raw  # the clear method is found: the search means something
    for secret in SECRETS:
        assert forms_found_in(raw, secret) == [], secret


@pytest.mark.django_db(transaction=True)
def test_it_never_stores_a_payee_in_any_postgresql_column(world, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (the SQLite test reads the file instead)")
    pay_through_the_page(world, caplog)
    for secret in SECRETS:
        assert postgres_columns_containing_any_form(secret) == [], secret
