"""What finance writes: a donor's name, a payee's details and a payment's reference only
sealed, in the SQLite file, its WAL, any PostgreSQL column and the SQL log."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from safehaven.finance.choices import GrantCategory
from safehaven.finance.disbursements.sealing import PayeeDetails
from safehaven.finance.grants.actions import do_approve_grant, do_request_grant
from safehaven.finance.models import Disbursement, Donation
from safehaven.finance.tests.helpers import (
    approved_grant,
    donate,
    finance_team,
    make_fund,
    officer,
    pay,
)
from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    postgres_columns_containing_any_form,
    raw_sqlite_bytes,
)

DONOR = "Sentinel-Donor Velmira Ostrakh"
PAYEE = "Sentinel-Payee Dorkan Blessimov"
ACCOUNT = "Sentinel-Account GB33BUKB20201555555555"
SERVICE = "Sentinel-Service Quickwire"
NOTE = "Sentinel-Note via the Bishkek shelter"
REFERENCE = "Sentinel-Reference TRX-77Q-ZEBRA"
PARTNER_PAYEE = "Sentinel-Partner-Payee Shelter Treasurer Hallo"
SECRETS = (DONOR, PAYEE, ACCOUNT, SERVICE, NOTE, REFERENCE, PARTNER_PAYEE)
COVERED = {(Donation, "donor_name"), (Disbursement, "payee"), (Disbursement, "reference")}


def record_money(world, caplog) -> None:
    finance_team(world)
    keys = officer()
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    try:
        fund = make_fund(world, "EUR", name="Response fund")
        donate(fund, "900", donor=DONOR, keys=keys)
        grant = approved_grant(world, fund, "300")
        pay(
            grant,
            "250",
            payee=PayeeDetails(name=PAYEE, account=ACCOUNT, service=SERVICE, note=NOTE),
            reference=REFERENCE,
            keys=keys,
        )
        partner_grant = do_request_grant(
            fund,
            category=GrantCategory.SHELTER,
            amount="100",
            partner=world.partner_a,
            actor=world.users["finance"],
        )
        do_approve_grant(partner_grant, **officer("finance2"))
        pay(partner_grant, "100", payee=PayeeDetails(name=PARTNER_PAYEE), keys=keys)
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    for secret in SECRETS:
        assert forms_found_in_text(caplog.text, secret) == [], secret


def test_it_covers_every_sealed_field_of_finance():
    sealed: set[tuple[type, str]] = {(Donation, n) for n in Donation.sealed_field_names()}
    sealed |= {(Disbursement, n) for n in Disbursement.sealed_field_names()}
    assert sealed == COVERED


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_donors_or_payees_in_clear_to_sqlite(world, caplog):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    record_money(world, caplog)
    raw = raw_sqlite_bytes()
    assert b"Response fund" in raw  # the clear fund name is found: the search means something
    for secret in SECRETS:
        assert forms_found_in(raw, secret) == [], secret


@pytest.mark.django_db(transaction=True)
def test_it_never_stores_donors_or_payees_in_any_postgresql_column(world, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (the SQLite test reads the file instead)")
    record_money(world, caplog)
    for secret in SECRETS:
        assert postgres_columns_containing_any_form(secret) == [], secret
