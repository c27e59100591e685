"""Monitoring: ``manage.py shred_withdrawn --check`` fails when erasures are left undone."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from safehaven.core.tests.failing_database import failing_on
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import (
    WITHDRAW_URL,
    requester_client,
    submit_request,
)

pytestmark = pytest.mark.django_db


def check_erasures() -> str:
    out = StringIO()
    call_command("shred_withdrawn", "--check", stdout=out)
    return out.getvalue()


def withdrawn_request_due(ago: timedelta) -> None:
    requester_client(submit_request()).post(WITHDRAW_URL, {"confirm": "on"})
    HelpRequest.objects.update(shred_due_at=timezone.now() - ago)


def test_it_fails_for_a_withdrawn_request_left_past_its_erasure_time(world):
    withdrawn_request_due(timedelta(hours=3))
    with pytest.raises(CommandError, match=r"^1 withdrawn help request\(s\) are more than two"):
        check_erasures()
    # The check erases nothing; once the timer's run has, it passes.
    assert HelpRequest.objects.get().shredded_at is None
    call_command("shred_withdrawn", stdout=StringIO())
    assert "No withdrawn request is late" in check_erasures()


def test_it_leaves_the_hourly_timer_time_to_run(world):
    withdrawn_request_due(timedelta(minutes=90))
    assert "No withdrawn request is late" in check_erasures()


def test_it_counts_no_request_that_was_not_withdrawn(world):
    submit_request()
    HelpRequest.objects.update(shred_due_at=timezone.now() - timedelta(days=3))
    assert "No withdrawn request is late" in check_erasures()


def test_it_fails_when_it_cannot_read_the_requests(world):
    with (
        failing_on("intake_helprequest", "no such table: intake_helprequest"),
        pytest.raises(CommandError, match="OperationalError") as raised,
    ):
        check_erasures()
    assert "no such table" not in str(raised.value)


def test_it_leaves_migrate_and_the_system_checks_alone(world):
    # A late erasure must never block a deploy (migrate runs the database's system checks).
    withdrawn_request_due(timedelta(days=1))
    call_command("check", "--database", "default", stdout=StringIO())
    call_command("migrate", "--check", stdout=StringIO(), skip_checks=False)
