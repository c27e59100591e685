"""What a case's moves and tasks write: the reason and the title only sealed, in the file, its
WAL, the audit log and the SQL log."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.db import connection
from django.utils import timezone

from safehaven.cases.case_tasks.actions import do_add_case_task
from safehaven.cases.choices import CaseState
from safehaven.cases.tests.helpers import open_case
from safehaven.cases.workflow.actions import do_move_case
from safehaven.intake.tests.helpers import private_key
from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    postgres_columns_containing_any_form,
    raw_sqlite_bytes,
)

REASON = "Sentinel Quorvath met the partner at Ulmbrecht station"
TITLE = "Sentinel Varnspike: buy the ticket"


def move_and_add_a_task(world, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    try:
        case = open_case(world)
        do_move_case(
            case,
            to_state=CaseState.VERIFICATION,
            reason=REASON,
            actor=world.users["triage"],
            private_key=private_key("triage"),
        )
        do_add_case_task(
            case,
            title=TITLE,
            due_on=timezone.localdate() + datetime.timedelta(days=2),
            assignee=None,
            actor=world.users["triage"],
            private_key=private_key("triage"),
        )
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    for secret in (REASON, TITLE):
        assert forms_found_in_text(caplog.text, secret) == [], secret


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_a_reason_or_a_task_title_in_clear_to_sqlite(world, caplog):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    move_and_add_a_task(world, caplog)
    raw = raw_sqlite_bytes()
    assert b"screening -> verification" in raw  # the clear audit detail is found
    for secret in (REASON, TITLE):
        assert forms_found_in(raw, secret) == [], secret


@pytest.mark.django_db(transaction=True)
def test_it_never_stores_a_reason_or_a_task_title_in_any_postgresql_column(world, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("this database is not PostgreSQL (the SQLite test reads the file instead)")
    move_and_add_a_task(world, caplog)
    for secret in (REASON, TITLE):
        assert postgres_columns_containing_any_form(secret) == [], secret
