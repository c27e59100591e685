"""The retention page, with real logins: the rules and their form, the dry run's list, a real
run, refusals, and a coerced administrator who changes nothing."""

from __future__ import annotations

import datetime

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
from safehaven.reports.retention import actions, views
from safehaven.reports.tests.retention_helpers import (
    LATER,
    STORY,
    declined_case,
    fresh_client,
    relocated_case,
    run_later,
    set_rule,
)

pytestmark = pytest.mark.django_db

PAGE = "reports-show-retention"
COERCED = "a coerced phrase 5521 of retention"


@pytest.fixture
def later(monkeypatch):
    """Retention's clock set 500 days ahead, so a case closed today is due under a rule of
    400 days."""
    run_later(monkeypatch, views, actions)


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
    response = fresh_client(world, staff_client).post(
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
    response = fresh_client(world, staff_client).post(
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
    response = fresh_client(world, staff_client).post(reverse("reports-run-retention"))
    assert response.status_code == 200
    assert casework_opens(case)
    assert not RetentionRun.objects.exists()


def test_run_now_erases_what_is_due(world, staff_client, later):
    case = declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    client = fresh_client(world, staff_client)
    response = client.post(reverse("reports-run-retention"), {"confirm": "on"})
    assert response.status_code == 302
    assert not casework_opens(case)
    run = RetentionRun.objects.get()
    assert (run.dry_run, run.cases, run.started_by) == (False, 1, world.users["admin"])


def test_a_coerced_administrator_changes_nothing(world, later):
    admin = world.users["admin"]
    case = declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    retention_events = AuditEvent.objects.filter(
        event_type__in=[EventType.RETENTION_RUN, EventType.RETENTION_RULE_SET]
    )
    events_before = retention_events.count()
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
    assert retention_events.count() == events_before


PASSWORD_AGAIN = "/accounts/reauthenticate/"
CODE_AGAIN = "/accounts/2fa/reauthenticate/"


@pytest.mark.parametrize(
    ("fresh", "asked_for"), [((), PASSWORD_AGAIN), (("password",), CODE_AGAIN)]
)
def test_setting_a_rule_needs_both_factors_again(world, staff_client, fresh, asked_for):
    from safehaven.finance.tests.funds_helpers import mark_fresh

    client = staff_client("admin", reauthenticated=False)
    mark_fresh(client, world.users["admin"], *fresh)
    response = client.post(
        reverse("reports-set-retention-rule"), {"target": "closed_cases", "after_days": 30}
    )
    assert response.status_code == 302
    assert asked_for in response["Location"]
    assert "reauthenticate%3D1" in response["Location"]
    assert not RetentionRule.objects.exists()
    # The page it comes back to asks for what is missing before it shows itself.
    again = client.get(f"{reverse(PAGE)}?reauthenticate=1")
    assert again.status_code == 302
    assert asked_for in again["Location"]


@pytest.mark.parametrize("fresh", [(), ("password",), ("mfa",)])
def test_run_now_needs_both_factors_again(world, staff_client, later, fresh):
    from safehaven.finance.tests.funds_helpers import mark_fresh

    case = declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    client = staff_client("admin", reauthenticated=False)
    mark_fresh(client, world.users["admin"], *fresh)
    response = client.post(reverse("reports-run-retention"), {"confirm": "on"})
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]
    assert casework_opens(case)
    assert not RetentionRun.objects.exists()


def test_the_dry_run_and_the_page_need_no_second_check(world, staff_client):
    client = staff_client("admin", reauthenticated=False)
    assert client.get(reverse(PAGE)).status_code == 200
    assert client.post(reverse("reports-dry-run-retention")).status_code == 200
    assert RetentionRun.objects.get().dry_run


def test_it_shows_when_a_new_rule_takes_effect_and_whom_a_run_covers(world, staff_client):
    client = fresh_client(world, staff_client)
    client.post(reverse("reports-set-retention-rule"), {"target": "closed_cases", "after_days": 30})
    rule = RetentionRule.objects.get()
    effective = timezone.localtime(rule.set_at + datetime.timedelta(days=14)).date()
    page = text(client.get(reverse(PAGE)))
    assert f"(takes effect on {effective:%Y-%m-%d})" in page
    assert "erases what is due for every organisation" in page
    # Once in effect, it says no more.
    RetentionRule.objects.update(set_at=timezone.now() - datetime.timedelta(days=15))
    assert "takes effect on" not in text(client.get(reverse(PAGE)))


def test_run_now_erases_nothing_under_a_rule_not_yet_in_effect(world, staff_client, later):
    case = declined_case(world)
    rule = set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    # Set (as the run's clock reads it) 5 days before the run: not in effect yet.
    RetentionRule.objects.filter(pk=rule.pk).update(
        set_at=timezone.now() + LATER - datetime.timedelta(days=5)
    )
    client = fresh_client(world, staff_client)
    assert client.post(reverse("reports-run-retention"), {"confirm": "on"}).status_code == 302
    assert casework_opens(case)
    assert RetentionRun.objects.get().cases == 0


def test_a_garbage_outcome_does_not_break_the_dry_run(world, staff_client, later):
    from safehaven.cases.models import Case

    case = declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    Case.objects.filter(pk=case.pk).update(outcome="<b>garbage</b>")
    response = staff_client("admin").post(reverse("reports-dry-run-retention"))
    assert response.status_code == 200
    assert "Closed (?)" in text(response)
    assert "garbage" not in text(response)


def test_the_dry_run_counts_cases_marked_erased_with_keys_left(world, staff_client, later):
    from safehaven.reports.models import CaseFigures

    case = declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    CaseFigures.objects.filter(case_id=case.pk).update(shredded_month=datetime.date(2020, 1, 1))
    page = text(staff_client("admin").post(reverse("reports-dry-run-retention")))
    assert f"<td>#{case.pk}</td>" in page
    assert "1 of them is marked erased in the database while its keys remain" in page
