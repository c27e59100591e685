"""What the contact and support log writes to disk: its sealed notes never in clear, in the
SQLite file and WAL (or any PostgreSQL column) and in the SQL log (SECURITY.md, T1)."""

import datetime
import logging

import pytest
from django.db import connection
from django.utils import timezone

from safehaven.cases.contact_log.actions import (
    do_add_case_note,
    do_log_contact_attempt,
    do_log_support_session,
)
from safehaven.cases.contact_log.choices import (
    ConsentKind,
    ContactChannel,
    ContactOutcome,
    SupportKind,
)
from safehaven.cases.contact_log.models import CaseNote, ContactAttempt, SupportSession
from safehaven.cases.tests.helpers import open_case
from safehaven.intake.tests.helpers import private_key
from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    postgres_columns_containing_any_form,
    raw_sqlite_bytes,
)

ATTEMPT_NOTE = "Sentinel-Attempt-Brackenfold: her brother answered"
SESSION_NOTE = "Sentinel-Session-Larkspurrow"
CASE_NOTE = "Sentinel-Casework-Thistlemere"
SENTINELS = (ATTEMPT_NOTE, SESSION_NOTE, CASE_NOTE)
# Every sealed field of the log: a new one must be added to the writes below.
SEALED = {ContactAttempt: ["note"], SupportSession: ["note"], CaseNote: ["body"]}


def write_the_log(world) -> None:
    case = open_case(world)
    actor = {"actor": world.users["triage"], "private_key": private_key("triage")}
    do_log_contact_attempt(
        case,
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.WRONG_PERSON,
        next_try_on=timezone.localdate() + datetime.timedelta(days=1),
        note=ATTEMPT_NOTE,
        **actor,
    )
    do_log_support_session(
        case,
        kind=SupportKind.COUNSELLING_REFERRAL,
        consent=ConsentKind.REFERRAL,
        held_on=timezone.localdate(),
        note=SESSION_NOTE,
        **actor,
    )
    do_add_case_note(case, body=CASE_NOTE, **actor)


@pytest.mark.django_db(transaction=True)
def test_it_never_stores_the_log_s_sealed_values_in_clear(world, caplog):
    assert {model: model.sealed_field_names() for model in SEALED} == SEALED
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True  # log every SQL statement with its parameters
    try:
        write_the_log(world)
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    for sentinel in SENTINELS:
        assert forms_found_in_text(caplog.text, sentinel) == [], sentinel
    assert ContactAttempt.objects.filter(outcome=ContactOutcome.WRONG_PERSON).exists()
    if connection.vendor == "sqlite":
        raw = raw_sqlite_bytes()
        assert b"wrong_person" in raw  # a clear column is found, so the search works
        for sentinel in SENTINELS:
            assert forms_found_in(raw, sentinel) == [], sentinel
    else:
        for sentinel in SENTINELS:
            assert postgres_columns_containing_any_form(sentinel) == [], sentinel
