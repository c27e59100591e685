"""The retention page, with real logins: the rules and their form, the dry run's list, a real
run, refusals, and a coerced administrator who changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from safehaven.accounts.tests.duress_logins import log_in as log_in_with
from safehaven.cases.choices import CompartmentKind
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.actions.duress import do_set_duress_password
from safehaven.keys.models import RecordKey
from safehaven.reports.choices import RetentionTarget
from safehaven.reports.models import RetentionRule, RetentionRun
from safehaven.reports.retention import actions, queries, views
from safehaven.reports.tests.retention_helpers import (
    LATER,
    STORY,
    declined_case,
    relocated_case,
    set_rule,
)

pytestmark = pytest.mark.django_db

PAGE = "reports-show-retention"
COERCED = "a coerced phrase 5521 of retention"


@pytest.fixture
def later(monkeypatch):
    """Retention's clock set 500 days ahead, so a case closed today is due under a rule of
    400 days."""
    real = queries.plan_retention

    def plan(now=None):
        return real(timezone.now() + LATER)

    monkeypatch.setattr(views, "plan_retention", plan)
    monkeypatch.setattr(actions, "plan_retention", plan)


def casework_opens(case) -> bool:
    record_id = case.compartment_record_id(CompartmentKind.CASEWORK)
    return RecordKey.objects.filter(record_id=record_id).exists()


def text(response) -> str:
    return response.content.decode()


def test_it_shows_the_rules_and_runs_to_an_administrator(world, staff_client):
    set_rule(world, RetentionTarget.CLOSED_CASES, 730)
    page = text(staff_client("admin").get(reverse(PAGE)))
    assert "730 days" in page
    assert "Kept (no rule)" in page
    assert "No runs yet." in page


@pytest.mark.parametrize("username", ["triage", "supervisor", "advocacy", "finance"])
def test_it_refuses_everyone_else(world, staff_client, username):
    client = staff_client(username)
    assert client.get(reverse(PAGE)).status_code == 403
    response = client.post(
        reverse("reports-set-retention-rule"), {"target": "closed_cases", "after_days": 30}
    )
    assert response.status_code == 403
    assert not RetentionRule.objects.exists()


def test_it_sets_a_rule(world, staff_client):
    response = staff_client("admin").post(
        reverse("reports-set-retention-rule"), {"target": "declined_requests", "after_days": 90}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(PAGE)
    rule = RetentionRule.objects.get()
    assert (rule.organisation, rule.target, rule.after_days) == (
        world.organisation,
        RetentionTarget.DECLINED_REQUESTS,
        90,
    )


@pytest.mark.parametrize("days", ["29", "-5", "ninety", ""])
def test_it_refuses_a_rule_under_30_days_or_not_a_number(world, staff_client, days):
    response = staff_client("admin").post(
        reverse("reports-set-retention-rule"), {"target": "closed_cases", "after_days": days}
    )
    assert response.status_code == 200
    if days == "29":
        assert "Keep them at least 30 days: an erasure cannot be undone." in text(response)
    assert not RetentionRule.objects.exists()


def test_a_dry_run_lists_what_is_due_and_erases_nothing(world, staff_client, later):
    case = relocated_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    response = staff_client("admin").post(reverse("reports-dry-run-retention"))
    page = text(response)
    assert response.status_code == 200
    assert f"<td>#{case.pk}</td>" in page
    assert "Closed (Relocated)" in page
    assert timezone.now().strftime("%Y-%m") in page
    assert STORY not in page
    assert casework_opens(case)
    run = RetentionRun.objects.get()
    assert run.dry_run
    assert run.cases == 1


def test_run_now_needs_its_confirmation(world, staff_client, later):
    case = declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    response = staff_client("admin").post(reverse("reports-run-retention"))
    assert response.status_code == 200
    assert casework_opens(case)
    assert not RetentionRun.objects.exists()


def test_run_now_erases_what_is_due(world, staff_client, later):
    case = declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    response = staff_client("admin").post(reverse("reports-run-retention"), {"confirm": "on"})
    assert response.status_code == 302
    assert not casework_opens(case)
    run = RetentionRun.objects.get()
    assert (run.dry_run, run.cases, run.started_by) == (False, 1, world.users["admin"])


def test_a_coerced_administrator_changes_nothing(world, later):
    admin = world.users["admin"]
    case = declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    do_set_duress_password(admin, COERCED, actor=admin)
    coerced = log_in_with(world, "admin", COERCED)

    response = coerced.post(
        reverse("reports-set-retention-rule"), {"target": "closed_cases", "after_days": 31}
    )
    assert response.status_code == 302
    response = coerced.post(reverse("reports-run-retention"), {"confirm": "on"})
    assert response.status_code == 302
    page = text(coerced.post(reverse("reports-dry-run-retention")))
    assert "Nothing is due." in page

    assert RetentionRule.objects.get().after_days == 400
    assert casework_opens(case)
    assert not RetentionRun.objects.exists()
    assert not AuditEvent.objects.filter(
        event_type__in=[EventType.RETENTION_RUN, EventType.RETENTION_RULE_SET]
    ).exists()
