"""Monitoring: ``manage.py check --database default`` reports erasures left undone."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import OperationalError, connection
from django.utils import timezone

from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.conftest import requester_client, submit_request

pytestmark = pytest.mark.django_db
WITHDRAW_URL = "/en/status/request/withdraw/"


def check_database() -> str:
    out = StringIO()
    call_command("check", "--database", "default", stdout=out, stderr=out)
    return out.getvalue()


def withdrawn_request_due(ago: timedelta) -> None:
    requester_client(submit_request()).post(WITHDRAW_URL, {"confirm": "on"})
    HelpRequest.objects.update(shred_due_at=timezone.now() - ago)


def test_it_reports_a_withdrawn_request_left_past_its_erasure_time(world):
    withdrawn_request_due(timedelta(hours=3))
    with pytest.raises(SystemCheckError) as raised:
        check_database()
    report = str(raised.value)
    assert "intake.E001" in report
    assert "1 withdrawn help request(s) in database 'default'" in report
    assert "shred_withdrawn" in report
    # Once the timer's command has run, the check passes.
    call_command("shred_withdrawn", stdout=StringIO())
    assert "intake.E001" not in check_database()


def test_it_leaves_the_hourly_timer_time_to_run(world):
    withdrawn_request_due(timedelta(minutes=90))
    assert "intake.E001" not in check_database()


def test_it_counts_no_request_that_was_not_withdrawn(world):
    submit_request()
    HelpRequest.objects.update(shred_due_at=timezone.now() - timedelta(days=3))
    assert "intake.E001" not in check_database()


def test_it_warns_when_the_check_cannot_read_the_database(world):
    def fail_on_requests(execute, sql, params, many, context):
        if "intake_helprequest" in sql:
            raise OperationalError("no such table: intake_helprequest")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_on_requests):
        report = check_database()
    assert "intake.W001" in report
    assert "OperationalError" in report
    assert "no such table" not in report


def test_it_does_not_touch_the_database_without_being_asked(world, django_assert_num_queries):
    withdrawn_request_due(timedelta(days=1))
    with django_assert_num_queries(0):
        call_command("check", stdout=StringIO())
