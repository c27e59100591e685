import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from safehaven.countries.models import RiskFact
from safehaven.countries.tests.helpers import current_fact, decriminalise


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("load_country_facts", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


@pytest.mark.django_db
def test_it_finds_nothing_to_do_on_a_migrated_database():
    assert run("--check") == (0, "0 change(s) to apply.\n")


@pytest.mark.django_db
def test_it_reports_then_restores_a_missing_shipped_fact():
    RiskFact.objects.filter(country_id="BT", value="legal").delete()
    status, out = run("--check")
    assert status == 1
    assert "new fact BT  criminalisation=legal from 2021-02-17" in out
    assert not RiskFact.objects.filter(country_id="BT", value="legal").exists()
    assert run()[0] == 0
    assert RiskFact.objects.filter(country_id="BT", value="legal").exists()
    assert run("--check")[0] == 0


@pytest.mark.django_db
def test_it_repairs_a_changed_shipped_fact():
    RiskFact.objects.filter(pk=current_fact("IR", "max_penalty").pk).update(value="life")
    status, out = run("--check")
    assert status == 1
    assert "changed fact IR" in out
    run()
    assert current_fact("IR", "max_penalty").value == "death_in_force"


def test_it_never_overwrites_an_administrators_edit(world):
    decriminalise("GH", datetime.date(2026, 3, 1), world.users["admin"])
    status, out = run("--check")
    assert status == 0
    assert "kept an administrator's edits: GH" in out
    run()
    assert current_fact("GH").value == "legal"
