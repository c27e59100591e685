"""``manage.py apply_retention``: the daily timer's command, and its dry run."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from safehaven.cases.choices import CompartmentKind
from safehaven.keys.models import RecordKey
from safehaven.reports.choices import RetentionTarget
from safehaven.reports.models import RetentionRun
from safehaven.reports.tests.retention_helpers import declined_case, run_later, set_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def later(monkeypatch):
    from safehaven.reports.management.commands import apply_retention

    run_later(monkeypatch, apply_retention)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_its_dry_run_lists_and_changes_nothing_then_a_run_erases(world, later):
    case = declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    casework = case.compartment_record_id(CompartmentKind.CASEWORK)
    assert casework is not None

    output = run("--dry-run")
    assert f"closed_cases #{case.pk}: " in output
    assert "closed (ineligible)" in output
    assert "would erase 1 cases and 0 requests" in output
    assert RecordKey.objects.filter(record_id=casework).exists()

    output = run()
    assert "erased 1 of 1 cases due" in output
    assert not RecordKey.objects.filter(record_id=casework).exists()
    assert list(RetentionRun.objects.order_by("pk").values_list("dry_run", "started_by")) == [
        (True, None),
        (False, None),
    ]


def test_its_help_explains_it(capsys):
    with pytest.raises(SystemExit):
        call_command("apply_retention", "--help")
    assert "retention" in capsys.readouterr().out


def test_its_dry_run_counts_cases_marked_erased_with_keys_left(world, later):
    import datetime

    from safehaven.reports.models import CaseFigures

    case = declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    CaseFigures.objects.filter(case_id=case.pk).update(shredded_month=datetime.date(2020, 1, 1))
    output = run("--dry-run")
    assert "1 due case(s) are marked erased in the database while their keys remain" in output
    assert "fold 0 crisis inflow days into months" in output


def test_its_dry_run_never_echoes_a_garbage_outcome(world, later):
    from safehaven.cases.models import Case

    case = declined_case(world)
    set_rule(world, RetentionTarget.CLOSED_CASES, 400)
    Case.objects.filter(pk=case.pk).update(outcome="\x1b[2Jgarbage")
    output = run("--dry-run")
    assert f"closed_cases #{case.pk}: " in output
    assert "closed (?)" in output
    assert "garbage" not in output
