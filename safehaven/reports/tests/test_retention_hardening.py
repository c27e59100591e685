"""Retention against the attackers of the security review: a rule takes effect only 14 days
after it was set; a database writer's shred listing or figures mark does not exempt a case;
a garbage outcome neither breaks the page nor stops a run; a case is checked again under its
lock; what a shredded case keeps in clear."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safehaven.cases.erasure.actions import case_is_shredded
from safehaven.cases.models import Case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.models import RecordKey, ShreddedRecord, ShredReason
from safehaven.reports.choices import Measure, RetentionTarget
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.figures.queries import counts_by, funnel_by_year
from safehaven.reports.models import CaseFigures, RetentionRule
from safehaven.reports.retention import actions
from safehaven.reports.retention.actions import do_apply_retention
from safehaven.reports.retention.queries import DueItem, plan_retention
from safehaven.reports.tests.retention_helpers import (
    LATER,
    declined_case,
    relocated_case,
    set_rule,
)

pytestmark = pytest.mark.django_db

DAYS = datetime.timedelta(days=1)


def keyed(case: Case) -> bool:
    record_ids = case.compartments.values_list("record_id", flat=True)
    return RecordKey.objects.filter(record_id__in=record_ids).exists()


def years() -> range:
    this_year = timezone.now().year
    return range(this_year - 1, this_year + 2)


def set_rule_at(world, days: int, at: datetime.datetime) -> RetentionRule:
    rule = set_rule(world, RetentionTarget.CLOSED_CASES, days)
    # ``set_at`` is auto_now: moved with an update, as if set at ``at``.
    RetentionRule.objects.filter(pk=rule.pk).update(set_at=at)
    return rule


def test_a_rule_takes_effect_only_14_days_after_it_was_set(world):
    """An administrator (or a stolen session) sets 30 days on day 40: nothing goes until
    day 54, though the case has been closed longer than 30 days since day 30."""
    case = declined_case(world)
    now = timezone.now()
    set_rule_at(world, 30, now + 40 * DAYS)

    assert plan_retention(now + 45 * DAYS).cases == []
    run = do_apply_retention(dry_run=False, actor=None, now=now + 45 * DAYS)
    assert run.cases == 0
    assert keyed(case)

    assert [item.pk for item in plan_retention(now + 55 * DAYS).cases] == [case.pk]


def test_a_rule_backdated_in_the_database_waits_for_its_audited_setting(world):
    """A database writer moves ``set_at`` back (or writes a rule no action wrote): the rule
    still counts from when the audit trail says it was set."""
    case = declined_case(world)
    now = timezone.now()
    set_rule_at(world, 30, now - 400 * DAYS)
    assert plan_retention(now + DAYS).cases == []
    assert [item.pk for item in plan_retention(now + 31 * DAYS).cases] == [case.pk]

    RetentionRule.objects.all().delete()
    RetentionRule.objects.create(
        organisation=world.organisation,
        target=RetentionTarget.CLOSED_CASES,
        after_days=30,
        set_by=world.users["admin"],
    )
    RetentionRule.objects.update(set_at=now - 400 * DAYS)
    assert plan_retention(now + 400 * DAYS).cases == []


def test_a_rule_for_declined_requests_waits_too(world):
    from safehaven.reports.tests.test_retention_actions import declined_request

    declined_request(world)
    now = timezone.now()
    rule = set_rule(world, RetentionTarget.DECLINED_REQUESTS, 30)
    RetentionRule.objects.filter(pk=rule.pk).update(set_at=now + 40 * DAYS)
    assert plan_retention(now + 45 * DAYS).requests == []
    assert len(plan_retention(now + 55 * DAYS).requests) == 1


def test_a_case_listed_as_shredded_by_a_database_writer_is_still_erased(world):
    case = declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    ShreddedRecord.objects.bulk_create(
        ShreddedRecord(record_id=record_id, reason=ShredReason.RETENTION)
        for record_id in case.compartments.values_list("record_id", flat=True)
    )
    plan = plan_retention(timezone.now() + LATER)
    assert [item.pk for item in plan.cases] == [case.pk]
    assert plan.inconsistent == 1

    run = do_apply_retention(dry_run=False, actor=None, now=timezone.now() + LATER)

    assert run.cases == 1
    assert not keyed(case)
    assert case_is_shredded(case)
    assert plan_retention(timezone.now() + LATER).cases == []


def test_a_figures_row_marked_kept_does_not_exempt_a_case(world):
    case = declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    # Marked kept, and changed, by a database writer.
    CaseFigures.objects.filter(case_id=case.pk).update(
        shredded_month=datetime.date(2020, 1, 1), country="ZZ"
    )
    plan = plan_retention(timezone.now() + LATER)
    assert [item.pk for item in plan.cases] == [case.pk]
    assert plan.inconsistent == 1

    do_apply_retention(dry_run=True, actor=None, now=timezone.now() + LATER)
    event = AuditEvent.objects.get(event_type=EventType.RETENTION_RUN)
    assert "1 cases marked erased with keys left" in event.detail

    do_apply_retention(dry_run=False, actor=None, now=timezone.now() + LATER)
    assert not keyed(case)
    row = CaseFigures.objects.get(case_id=case.pk)
    # Computed again from the clear sources before it was frozen.
    assert row.country == "RU"
    assert row.shredded_month != datetime.date(2020, 1, 1)


def test_a_garbage_outcome_has_a_fallback_label(world):
    item = DueItem(
        kind=RetentionTarget.CLOSED_CASES,
        pk=1,
        organisation_id=None,
        month=datetime.date(2026, 1, 1),
        state="closed",
        outcome="<script>garbage",
    )
    assert item.outcome_label == "?"


def test_any_failure_of_one_case_is_counted_and_the_run_finishes(world, monkeypatch):
    first, second = declined_case(world), declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    real = actions.do_shred_case

    def fail_on_first(case, *, actor):
        if case.pk == first.pk:
            raise ValueError("'garbage' is not a valid CaseOutcome")
        real(case, actor=actor)

    monkeypatch.setattr(actions, "do_shred_case", fail_on_first)
    run = do_apply_retention(dry_run=False, actor=None, now=timezone.now() + LATER)

    assert run.finished_at is not None
    assert run.cases == 1
    assert keyed(first)
    assert not keyed(second)
    assert "; 1 failed;" in AuditEvent.objects.get(event_type=EventType.RETENTION_RUN).detail


def test_a_case_no_longer_due_when_its_turn_comes_is_left_alone(world):
    case = declined_case(world)
    rule = set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    later = timezone.now() + LATER
    plan = plan_retention(later)
    assert [item.pk for item in plan.cases] == [case.pk]
    # Between the plan and the case's turn, the rule is made longer (and has taken effect).
    RetentionRule.objects.filter(pk=rule.pk).update(after_days=36_500)

    run = do_apply_retention(dry_run=False, actor=None, now=later, plan=plan)

    assert run.cases == 0
    assert keyed(case)


def test_a_case_whose_rule_was_removed_or_reset_since_the_plan_is_left_alone(world):
    first, second = declined_case(world), declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    later = timezone.now() + LATER
    plan = plan_retention(later)
    assert len(plan.cases) == 2
    # Set again since (a new 14 days start): nothing is due under it at the case's turn.
    RetentionRule.objects.update(set_at=later - DAYS)

    run = do_apply_retention(dry_run=False, actor=None, now=later, plan=plan)

    assert run.cases == 0
    assert keyed(first)
    assert keyed(second)


def test_a_shredded_case_keeps_only_month_level_figures_and_still_counts(world):
    case = relocated_case(world)
    Case.objects.filter(pk=case.pk).update(referred_by=world.partner_a)
    from safehaven.reports.figures.refresh import refresh_case_figures

    refresh_case_figures(case.pk)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    organisations = [world.organisation]
    funnel = funnel_by_year(organisations, FigureFilters(), years())
    relocated = counts_by(organisations, Measure.RELOCATED, "country", years(), FigureFilters())
    before = CaseFigures.objects.get(case_id=case.pk)
    assert (before.destination, before.partner_id) == ("CA", world.partner_a.pk)

    do_apply_retention(dry_run=False, actor=None, now=timezone.now() + LATER)

    row = CaseFigures.objects.get(case_id=case.pk)
    assert (row.destination, row.pathway, row.partner_id) == ("", "", None)
    kept = ("country", "crisis_id", "people", "state", "outcome", "received_month")
    assert [getattr(row, name) for name in kept] == [getattr(before, name) for name in kept]
    assert row.arrived_month == before.arrived_month
    assert row.closed_month == before.closed_month
    case = Case.objects.get(pk=case.pk)
    assert (case.arrived_in, case.referred_by_id, case.languages) == ("", None, [])
    assert funnel_by_year(organisations, FigureFilters(), years()) == funnel
    assert (
        counts_by(organisations, Measure.RELOCATED, "country", years(), FigureFilters())
        == relocated
    )
    assert counts_by(organisations, Measure.RELOCATED, "destination", years(), FigureFilters()) in (
        {},
        {"": 1},
    )
