"""Helpers for retention tests: a relocated case closed through the workflow with sentinels
sealed in its casework and its request, the rules, and where a sentinel might be in clear."""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from safehaven.cases.case_tasks.actions import do_add_case_task
from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.contact_log.actions import do_add_case_note
from safehaven.cases.models import Case
from safehaven.cases.tests.helpers import open_case
from safehaven.cases.tests.verification_helpers import approved_in_place
from safehaven.cases.workflow.actions import do_move_case
from safehaven.finance.tests.funds_helpers import mark_fresh
from safehaven.intake.tests.helpers import private_key
from safehaven.reports.choices import RetentionTarget
from safehaven.reports.figures.refresh import refresh_case_figures
from safehaven.reports.models import RetentionRule
from safehaven.reports.retention.actions import do_set_retention_rule

STORY = "Sentinel Zarvolith hid at the Quembrick farm"
TASK = "Sentinel Plorvane: call the Dusterby lawyer"
NOTE = "Sentinel Krendalor moved to the Vashmere flat"
REASON = "Sentinel Ostravik arrived through Lindqvarn"
SENTINELS = (STORY, TASK, NOTE, REASON)
# Far enough ahead that a case closed today is past a rule of 400 days.
LATER = datetime.timedelta(days=500)
JOURNEY = (
    CaseState.PLANNING,
    CaseState.TRAVEL_BOOKED,
    CaseState.IN_TRANSIT,
    CaseState.ARRIVED,
)


def move(world: Any, case: Case, to_state: CaseState, **options: Any) -> None:
    do_move_case(
        case,
        to_state=to_state,
        reason=options.pop("reason", "Checked with the partner."),
        actor=world.users["triage"],
        private_key=private_key("triage"),
        **options,
    )


def relocated_case(world: Any) -> Case:
    """A case opened from a request whose story is a sentinel, verified, taken through its
    journey by the workflow, given a task and a note with sentinels, and closed relocated."""
    case = open_case(world, situation=STORY)
    approved_in_place(case)
    Case.objects.filter(pk=case.pk).update(state=CaseState.VERIFIED, arrived_in="CA")
    case.refresh_from_db()
    for state in JOURNEY:
        move(world, case, state)
    triage = {"actor": world.users["triage"], "private_key": private_key("triage")}
    do_add_case_task(case, title=TASK, due_on=timezone.localdate(), assignee=None, **triage)
    do_add_case_note(case, body=NOTE, **triage)
    move(world, case, CaseState.CLOSED, outcome=CaseOutcome.RELOCATED, reason=REASON)
    case.refresh_from_db()
    # What the figures' receivers do once a change commits (tests run inside one transaction).
    refresh_case_figures(case.pk)
    return case


def declined_case(world: Any, **request: Any) -> Case:
    """A case closed as ineligible straight after triage."""
    case = open_case(world, **request)
    move(world, case, CaseState.DECLINED)
    move(world, case, CaseState.CLOSED, outcome=CaseOutcome.INELIGIBLE)
    case.refresh_from_db()
    refresh_case_figures(case.pk)
    return case


def set_rule(world: Any, target: RetentionTarget, days: int) -> RetentionRule:
    return do_set_retention_rule(world.organisation, target, days, actor=world.users["admin"])


def clear_columns_holding(text: str) -> list[str]:
    """``model.column`` of every clear text column (char, text, JSON) in the database holding
    ``text`` (sealed columns are binary and hold ciphertext only)."""
    found = []
    # A model registered by another test module may have no table here.
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.db_table not in tables:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                continue
            lookup = "icontains"
            if isinstance(field, models.JSONField):
                rows = model._default_manager.exclude(**{f"{field.attname}__isnull": True})
                if any(
                    text.lower() in str(value).lower()
                    for value in rows.values_list(field.attname, flat=True)
                ):
                    found.append(f"{model._meta.label}.{field.name}")
                continue
            if model._default_manager.filter(**{f"{field.attname}__{lookup}": text}).exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


def fresh_client(world: Any, staff_client: Any, username: str = "admin") -> Any:
    """A logged-in client whose password *and* second factor were just checked again."""
    client = staff_client(username, reauthenticated=False)
    mark_fresh(client, world.users[username], "password", "mfa")
    return client


def run_later(monkeypatch: Any, *modules: Any) -> None:
    """Retention's clock ``LATER`` ahead for the plan (in each of ``modules`` that imported
    ``plan_retention``) and for the re-check under each case's lock."""
    from safehaven.reports.retention import actions, queries

    real_plan, real_still_due = queries.plan_retention, actions._still_due

    def plan(now: datetime.datetime | None = None) -> queries.RetentionPlan:
        return real_plan(timezone.now() + LATER)

    def still_due(case: Case, now: datetime.datetime) -> bool:
        return real_still_due(case, max(now, timezone.now() + LATER))

    for module in modules:
        monkeypatch.setattr(module, "plan_retention", plan)
    monkeypatch.setattr(actions, "_still_due", still_due)
