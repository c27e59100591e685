"""Running retention (``do_apply_retention``) and setting its rules (``do_set_retention_rule``):
what is due is erased and still counted; a dry run changes nothing; what is not due is left
alone; a database writer's clear columns do not make anything due."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safehaven.accounts.actions import ActionRefused
from safehaven.cases.choices import CaseState, CompartmentKind
from safehaven.cases.erasure.actions import case_is_shredded
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CaseTransition
from safehaven.cases.tests.helpers import open_case, primary_request
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import RequestStatus
from safehaven.intake.handling.actions import do_change_request_status
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import latest_request, private_key, submit_request
from safehaven.keys.models import RecordKey
from safehaven.reports.choices import Measure, RetentionTarget
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.figures.queries import counts_by, funnel_by_year
from safehaven.reports.models import CaseFigures, RetentionRule, RetentionRun
from safehaven.reports.retention.actions import do_apply_retention, do_set_retention_rule
from safehaven.reports.retention.queries import plan_retention
from safehaven.reports.tests.retention_helpers import (
    LATER,
    SENTINELS,
    clear_columns_holding,
    declined_case,
    relocated_case,
    set_rule,
)

pytestmark = pytest.mark.django_db

FIGURE_FIELDS = (
    "country",
    "destination",
    "received_month",
    "verified_month",
    "supported_month",
    "arrived_month",
    "closed_month",
    "people",
    "state",
    "outcome",
)


def figures_of(case: Case) -> dict:
    return CaseFigures.objects.filter(case_id=case.pk).values(*FIGURE_FIELDS).get()


def years() -> range:
    this_year = timezone.now().year
    return range(this_year - 1, this_year + 2)


def casework_opens(case: Case) -> bool:
    record_id = case.compartment_record_id(CompartmentKind.CASEWORK)
    assert record_id is not None
    return RecordKey.objects.filter(record_id=record_id).exists()


def declined_request(world) -> HelpRequest:
    submit_request(situation="Sentinel Brastovel declined")
    request = latest_request()
    do_change_request_status(
        request,
        actor=world.users["triage"],
        private_key=private_key("triage"),
        status=RequestStatus.CLOSED,
    )
    return request


def test_it_erases_a_due_case_and_reports_still_count_it(world):
    case = relocated_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    organisations = [world.organisation]
    before = figures_of(case)
    assert before["arrived_month"] is not None
    assert before["outcome"] == "relocated"
    funnel = funnel_by_year(organisations, FigureFilters(), years())
    by_country = counts_by(organisations, Measure.RELOCATED, "country", years(), FigureFilters())
    assert by_country == {"RU": 1}

    run = do_apply_retention(dry_run=False, actor=None, now=timezone.now() + LATER)

    assert (run.cases, run.dry_run) == (1, False)
    assert case_is_shredded(case)
    assert not casework_opens(case)
    row = CaseFigures.objects.get(case_id=case.pk)
    assert row.shredded_month is not None
    # Where it arrived, by which pathway and from whom are cleared; the rest is kept.
    assert before["destination"] == "CA"
    assert figures_of(case) == {**before, "destination": ""}
    assert (row.pathway, row.partner_id) == ("", None)
    assert funnel_by_year(organisations, FigureFilters(), years()) == funnel
    assert counts_by(organisations, Measure.RELOCATED, "country", years(), FigureFilters()) == {
        "RU": 1
    }
    for sentinel in SENTINELS:
        assert clear_columns_holding(sentinel) == [], sentinel


def test_it_never_recomputes_the_figures_of_an_erased_case(world):
    from safehaven.reports.figures.refresh import refresh_all_figures, refresh_case_figures

    case = relocated_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    before = figures_of(case)
    do_apply_retention(dry_run=False, actor=None, now=timezone.now() + LATER)
    refresh_case_figures(case.pk)
    refresh_all_figures()
    assert figures_of(case) == {**before, "destination": ""}


def test_a_dry_run_lists_the_case_and_changes_nothing(world):
    case = relocated_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    later = timezone.now() + LATER

    plan = plan_retention(later)
    run = do_apply_retention(dry_run=True, actor=world.users["admin"], now=later)

    assert [(item.kind, item.pk, item.state) for item in plan.items] == [
        (RetentionTarget.CLOSED_CASES, case.pk, CaseState.CLOSED)
    ]
    assert plan.cases[0].month == timezone.now().astimezone(datetime.UTC).date().replace(day=1)
    assert (run.cases, run.requests, run.dry_run) == (1, 0, True)
    assert casework_opens(case)
    assert not case_is_shredded(case)
    assert CaseFigures.objects.get(case_id=case.pk).shredded_month is None
    assert not AuditEvent.objects.filter(event_type=EventType.CASE_SHREDDED).exists()
    assert HelpRequest.objects.get(pk=primary_request(case).pk).shredded_at is None


def test_it_leaves_a_case_not_yet_due_or_not_closed_alone(world):
    closed = declined_case(world)
    still_open = open_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    # Closed today: a year later it is not yet 400 days closed.
    run = do_apply_retention(
        dry_run=False, actor=None, now=timezone.now() + datetime.timedelta(days=365)
    )
    assert run.cases == 0
    assert casework_opens(closed)
    # Long after: the closed one goes, the open one stays.
    run = do_apply_retention(dry_run=False, actor=None, now=timezone.now() + LATER)
    assert run.cases == 1
    assert not casework_opens(closed)
    assert casework_opens(still_open)


def test_it_leaves_everything_alone_without_a_rule(world):
    case = declined_case(world)
    run = do_apply_retention(dry_run=False, actor=None, now=timezone.now() + LATER)
    assert (run.cases, run.requests) == (0, 0)
    assert casework_opens(case)


def test_a_run_is_audited_with_its_counts(world):
    declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    actor = world.users["admin"]
    do_apply_retention(dry_run=True, actor=actor, now=timezone.now() + LATER)
    run = do_apply_retention(dry_run=False, actor=actor, now=timezone.now() + LATER)
    events = list(
        AuditEvent.objects.filter(event_type=EventType.RETENTION_RUN).order_by("sequence")
    )
    assert [event.detail for event in events] == [
        "dry run: would erase 1 cases, 0 requests; 0 failed; "
        "0 cases marked erased with keys left; 0 crisis inflow days to fold",
        "erased 1 cases, 0 requests; 0 failed; "
        "0 cases marked erased with keys left; 0 crisis inflow days folded",
    ]
    assert events[-1].target_ref == str(run.pk)
    assert events[-1].actor_id == actor.pk
    assert RetentionRun.objects.filter(finished_at__isnull=False).count() == 2


def test_one_case_failing_does_not_undo_the_others(world, monkeypatch):
    first, second = declined_case(world), declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    from safehaven.reports.retention import actions

    real = actions.do_shred_case

    def fail_on_first(case, *, actor):
        if case.pk == first.pk:
            raise CaseActionRefused("refused")
        real(case, actor=actor)

    monkeypatch.setattr(actions, "do_shred_case", fail_on_first)
    run = do_apply_retention(dry_run=False, actor=None, now=timezone.now() + LATER)

    assert run.cases == 1
    assert casework_opens(first)
    assert not casework_opens(second)
    # The failed case's figures are not marked kept: its transaction rolled back whole.
    assert CaseFigures.objects.get(case_id=first.pk).shredded_month is None
    event = AuditEvent.objects.filter(event_type=EventType.RETENTION_RUN).get()
    assert "; 1 failed;" in event.detail


def test_a_case_closed_in_the_database_is_never_due(world):
    """A database writer sets an open case to closed, long ago: no audited close, no erasure.
    (Destruction, not disclosure: but the erasure would stick through a restore.)"""
    case = open_case(world)
    long_ago = timezone.now() - datetime.timedelta(days=3000)
    Case.objects.filter(pk=case.pk).update(
        state=CaseState.CLOSED, outcome="ineligible", state_changed_at=long_ago
    )
    set_rule(world, RetentionTarget.CLOSED_CASES, 30)
    assert plan_retention().items == []
    run = do_apply_retention(dry_run=False, actor=None)
    assert run.cases == 0
    assert casework_opens(case)


def test_moving_a_closed_case_s_clear_times_back_does_not_make_it_due(world):
    case = declined_case(world)
    long_ago = timezone.now() - datetime.timedelta(days=3000)
    Case.objects.filter(pk=case.pk).update(state_changed_at=long_ago)
    CaseTransition.objects.filter(case=case).update(at=long_ago)
    set_rule(world, RetentionTarget.CLOSED_CASES, 30)
    # The audited close is today's: the latest of the three counts.
    assert plan_retention().items == []
    assert [item.pk for item in plan_retention(timezone.now() + LATER).cases] == [case.pk]


def test_it_erases_a_declined_request_past_the_period(world):
    request = declined_request(world)
    submit_request()
    still_open = latest_request()
    set_rule(world, RetentionTarget.DECLINED_REQUESTS, 90)
    assert plan_retention().requests == []

    run = do_apply_retention(
        dry_run=False, actor=None, now=timezone.now() + datetime.timedelta(days=91)
    )

    assert run.requests == 1
    request.refresh_from_db()
    assert request.shredded_at is not None
    assert request.situation is None
    assert request.status == RequestStatus.CLOSED
    assert request.received_month
    assert not RecordKey.objects.filter(record_id=request.record_id).exists()
    assert HelpRequest.objects.get(pk=still_open.pk).shredded_at is None
    assert clear_columns_holding("Sentinel Brastovel") == []


def test_a_request_closed_in_the_database_is_never_due(world):
    submit_request()
    request = latest_request()
    HelpRequest.objects.filter(pk=request.pk).update(status=RequestStatus.CLOSED)
    set_rule(world, RetentionTarget.DECLINED_REQUESTS, 30)
    assert plan_retention(timezone.now() + LATER).requests == []


def test_a_request_reopened_after_its_decline_is_not_due(world):
    request = declined_request(world)
    do_change_request_status(
        request,
        actor=world.users["triage"],
        private_key=private_key("triage"),
        status=RequestStatus.REVIEWING,
    )
    # Closed again in the database, around the audit: the audited status is "reviewing".
    HelpRequest.objects.filter(pk=request.pk).update(status=RequestStatus.CLOSED)
    set_rule(world, RetentionTarget.DECLINED_REQUESTS, 30)
    assert plan_retention(timezone.now() + LATER).requests == []


def test_a_case_s_request_is_not_erased_as_a_declined_request(world):
    case = declined_case(world)
    assert primary_request(case).status == RequestStatus.CLOSED
    set_rule(world, RetentionTarget.DECLINED_REQUESTS, 30)
    assert plan_retention(timezone.now() + LATER).requests == []


def test_declined_requests_wait_for_every_relocating_organisation_s_rule(world):
    from safehaven.accounts.models import Organisation, OrganisationKind

    declined_request(world)
    set_rule(world, RetentionTarget.DECLINED_REQUESTS, 30)
    other = Organisation.objects.create(name="Second relocating", kind=OrganisationKind.RELOCATING)
    assert plan_retention(timezone.now() + LATER).requests == []
    do_set_retention_rule(other, RetentionTarget.DECLINED_REQUESTS, 600, actor=world.users["admin"])
    # The longest rule applies: 600 days.
    assert plan_retention(timezone.now() + LATER).requests == []
    assert len(plan_retention(timezone.now() + datetime.timedelta(days=601)).requests) == 1


def test_it_sets_a_rule_and_audits_it(world):
    actor = world.users["admin"]
    rule = do_set_retention_rule(world.organisation, RetentionTarget.CLOSED_CASES, 730, actor=actor)
    do_set_retention_rule(world.organisation, RetentionTarget.CLOSED_CASES, 365, actor=actor)
    rule.refresh_from_db()
    assert rule.after_days == 365
    assert RetentionRule.objects.count() == 1
    details = AuditEvent.objects.filter(event_type=EventType.RETENTION_RULE_SET).values_list(
        "detail", flat=True
    )
    effective = (rule.set_at + datetime.timedelta(days=14)).astimezone(datetime.UTC).date()
    assert sorted(details) == [
        f"closed_cases after 365 days, effective {effective}",
        f"closed_cases after 730 days, effective {effective}",
    ]


@pytest.mark.parametrize("days", [29, 0])
def test_it_refuses_a_rule_under_30_days(world, days):
    with pytest.raises(ActionRefused, match="at least 30 days"):
        do_set_retention_rule(
            world.organisation, RetentionTarget.CLOSED_CASES, days, actor=world.users["admin"]
        )
    assert not RetentionRule.objects.exists()
    assert not AuditEvent.objects.filter(event_type=EventType.RETENTION_RULE_SET).exists()


def test_it_refuses_a_rule_for_a_partner_organisation(world):
    with pytest.raises(ActionRefused, match="relocating"):
        do_set_retention_rule(
            world.partner_a, RetentionTarget.CLOSED_CASES, 365, actor=world.users["admin"]
        )
