"""What pathways and travel documents write: notes, step notes, an ending's reason and a
document's number and countries only sealed, in the file, its WAL, the audit log and the SQL
log."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.db import connection
from django.utils import timezone

from safehaven.countries.models import Country
from safehaven.intake.tests.helpers import private_key
from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    postgres_columns_containing_any_form,
    raw_sqlite_bytes,
)
from safehaven.travel.choices import PathwayKind, PathwayState, StepOutcome
from safehaven.travel.documents.actions import do_add_travel_document
from safehaven.travel.models import CasePathway, PathwayStep, TravelDocument
from safehaven.travel.pathways.actions import (
    do_end_pathway,
    do_record_pathway_step,
    do_start_pathway,
)
from safehaven.travel.tests.helpers import assigned_case

NOTES = "Sentinel Quillmarch waits at the Ostravel shelter"
STEP_NOTE = "Sentinel Drennick interview booked"
END_REASON = "Sentinel Pomrath accepted elsewhere"
NUMBER = "Sentinel-Passport-77310452"
SECRETS = (NOTES, STEP_NOTE, END_REASON, NUMBER)

# Every sealed field of the pathways and documents, each with the sentinel put in it.
COVERED = {
    (CasePathway, "notes"): (NOTES, END_REASON),
    (PathwayStep, "note"): (STEP_NOTE,),
    (TravelDocument, "details"): (NUMBER,),
}


def work_on_pathways(world, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    worker = {"actor": world.users["caseworker"], "private_key": private_key("caseworker")}
    # A transactional test before this one may have emptied the countries the migration loads.
    Country.objects.get_or_create(iso2="AF", defaults={"iso3": "AFG", "name": "Afghanistan"})
    try:
        case = assigned_case(world)
        row = do_start_pathway(
            case,
            kind=PathwayKind.CANADA_PSR_BVOR,
            owner=world.users["caseworker"],
            notes=NOTES,
            **worker,
        )
        do_record_pathway_step(
            row.steps.get(position=0),
            outcome=StepOutcome.DONE,
            done_on=None,
            due_on=None,
            owner=None,
            note=STEP_NOTE,
            **worker,
        )
        do_end_pathway(row, state=PathwayState.SUCCEEDED, reason=END_REASON, **worker)
        do_add_travel_document(
            case,
            person=None,
            kind="passport",
            issuing_country="AF",
            for_country="",
            number=NUMBER,
            valid_until=timezone.localdate() + datetime.timedelta(days=700),
            **worker,
        )
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    for secret in SECRETS:
        assert forms_found_in_text(caplog.text, secret) == [], secret


def test_it_covers_every_sealed_field_of_pathways_and_documents():
    for model in (CasePathway, PathwayStep, TravelDocument):
        assert {(model, name) for name in model.sealed_field_names()} <= set(COVERED)


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_notes_or_a_document_number_in_clear_to_sqlite(world, caplog):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    work_on_pathways(world, caplog)
    raw = raw_sqlite_bytes()
    assert b"canada_psr_bvor" in raw  # the clear kind is found: the search means something
    for secret in SECRETS:
        assert forms_found_in(raw, secret) == [], secret


@pytest.mark.django_db(transaction=True)
def test_it_never_stores_notes_or_a_document_number_in_any_postgresql_column(world, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (the SQLite test reads the file instead)")
    work_on_pathways(world, caplog)
    for secret in SECRETS:
        assert postgres_columns_containing_any_form(secret) == [], secret
