"""What raising, escalating and acknowledging an alert write: nothing of the check-in's sealed
details (its place) reaches the file, its WAL, the SQL log or the e-mails; the audit details
hold ids and a level only."""

from __future__ import annotations

import datetime
import logging
import re

import pytest
from django.core import mail
from django.db import connection

from safehaven.core.models import AuditEvent
from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    raw_sqlite_bytes,
)
from safehaven.travel.alarms.actions import do_acknowledge_alert, do_watch_journeys
from safehaven.travel.models import JourneyAlert
from safehaven.travel.tests.alarm_helpers import (
    PLACE,
    expected_check_in,
    in_transit_case,
    notified_at,
)

ALERT_DETAIL = re.compile(r"^alert #\d+( check-in #\d+| level \d+)$")


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_the_check_in_place_in_clear_and_audits_ids_only(world, caplog):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    case = in_transit_case(world)
    expected_check_in(case)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    try:
        do_watch_journeys()
        alert = JourneyAlert.objects.get()
        do_watch_journeys(now=notified_at(alert) + datetime.timedelta(minutes=31))
        do_acknowledge_alert(alert, actor=world.users["caseworker"])
    finally:
        connection.force_debug_cursor = False
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    assert forms_found_in_text(caplog.text, PLACE) == []
    assert forms_found_in(raw_sqlite_bytes(), PLACE) == []
    details = AuditEvent.objects.filter(event_type__startswith="travel.alert_").values_list(
        "detail", flat=True
    )
    assert len(details) == 3
    assert all(ALERT_DETAIL.match(detail) for detail in details), list(details)
    assert len(mail.outbox) == 3
    assert all(PLACE not in message.body for message in mail.outbox)
