"""What naming a person, replacing the naming and taking the case out write: the name, the
date of birth and the document number only sealed, in the file, its WAL, any PostgreSQL
column and the SQL log."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from safehaven.advocacy.inclusions.actions import do_remove_case
from safehaven.advocacy.models import AdvocacyInclusion, AdvocacyNaming, AdvocacyRequest
from safehaven.advocacy.tests.helpers import as_user, draft, government_consent, include, name
from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    postgres_columns_containing_any_form,
    raw_sqlite_bytes,
)
from safehaven.travel.tests.helpers import assigned_case

NAME = "Sentinel-Name Orsolya Brandvik"
RENAMED = "Sentinel-Name Orsolya Brandvick"
DOCUMENT = "SENTINEL-PASSPORT-40417"
BORN = "1987-11-23"
SECRETS = (NAME, RENAMED, DOCUMENT, BORN)
COVERED = {(AdvocacyNaming, "details")}


def name_rename_remove(world, caplog) -> None:
    case = assigned_case(world)
    government_consent(world, case)
    inclusion = include(case, draft(world))
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    try:
        name(inclusion, full_name=NAME, born_on=BORN, document=DOCUMENT)
        name(inclusion, full_name=RENAMED, born_on=BORN, document=DOCUMENT)
        do_remove_case(inclusion, **as_user())
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    for secret in SECRETS:
        assert forms_found_in_text(caplog.text, secret) == [], secret


def test_it_covers_every_sealed_field_of_advocacy():
    sealed = {
        (model, field)
        for model in (AdvocacyRequest, AdvocacyInclusion, AdvocacyNaming)
        for field in getattr(model, "sealed_field_names", lambda: [])()
    }
    assert sealed == COVERED


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_a_naming_in_clear_to_sqlite(world, caplog):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    name_rename_remove(world, caplog)
    raw = raw_sqlite_bytes()
    assert b"Urgent protection programme" in raw  # clear text is found: the search means something
    for secret in SECRETS:
        assert forms_found_in(raw, secret) == [], secret


@pytest.mark.django_db(transaction=True)
def test_it_never_stores_a_naming_in_any_postgresql_column(world, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (the SQLite test reads the file instead)")
    name_rename_remove(world, caplog)
    for secret in SECRETS:
        assert postgres_columns_containing_any_form(secret) == [], secret
