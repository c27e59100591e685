"""What verification writes: a check's note, an evidence file's bytes and description and an
approval's note only sealed, in the SQLite file, its WAL, the audit log and the SQL log."""

from __future__ import annotations

import logging
from io import BytesIO

import pytest
from django.db import connection
from PIL import Image

from safehaven.cases.choices import VerificationItemKind, VerificationMethod, VerificationStatus
from safehaven.cases.evidence.actions import do_add_evidence
from safehaven.cases.tests.verification_helpers import case_in_verification, confirm_checklist
from safehaven.cases.verification.actions import (
    do_record_verification_item,
    do_refuse_verification,
    do_request_verification,
)
from safehaven.core.uploads.sanitise import SanitisedFile
from safehaven.intake.tests.helpers import private_key
from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    postgres_columns_containing_any_form,
    raw_sqlite_bytes,
)

NOTE = "Sentinel Brakmoor saw her at the Qeltanny safe flat"
DESCRIPTION = "Sentinel Ostrivane passport of Dilmurat"
DECISION = "Sentinel Halvregg: the partner never met him"
SECRETS = (NOTE, DESCRIPTION, DECISION)
# Not text a person types: a byte string that must not appear, whatever its encoding.
CONTENT_MARK = b"Sentinel-bytes-Vexholm-\x00\x17\x99-evidence"


def a_png_carrying_the_mark() -> SanitisedFile:
    output = BytesIO()
    Image.new("RGB", (4, 4), "green").save(output, format="PNG")
    return SanitisedFile(output.getvalue() + CONTENT_MARK, "image/png", "png")


def verify_with_sentinels(world, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    caseworker = {"actor": world.users["caseworker"], "private_key": private_key("caseworker")}
    try:
        case = case_in_verification(world)
        do_record_verification_item(
            case,
            item=VerificationItemKind.RISK,
            status=VerificationStatus.DOUBTFUL,
            method=VerificationMethod.INTERVIEW,
            partner=None,
            note=NOTE,
            **caseworker,
        )
        do_add_evidence(case, file=a_png_carrying_the_mark(), description=DESCRIPTION, **caseworker)
        confirm_checklist(world, case)
        approval = do_request_verification(case, **caseworker)
        do_refuse_verification(
            approval,
            actor=world.users["supervisor"],
            private_key=private_key("supervisor"),
            note=DECISION,
        )
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    for secret in SECRETS:
        assert forms_found_in_text(caplog.text, secret) == [], secret


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_verification_notes_or_evidence_in_clear_to_sqlite(world, caplog):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    verify_with_sentinels(world, caplog)
    raw = raw_sqlite_bytes()
    assert b"risk: doubtful" in raw  # the clear audit detail is found
    for secret in SECRETS:
        assert forms_found_in(raw, secret) == [], secret
    assert CONTENT_MARK not in raw
    assert b"image/png" not in raw


@pytest.mark.django_db(transaction=True)
def test_it_never_stores_verification_notes_in_any_postgresql_column(world, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (the SQLite test reads the file instead)")
    verify_with_sentinels(world, caplog)
    for secret in SECRETS:
        assert postgres_columns_containing_any_form(secret) == [], secret
