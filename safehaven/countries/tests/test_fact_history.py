import datetime

import pytest

from safehaven.accounts.actions import ActionRefused
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.countries.choices import FactValue
from safehaven.countries.country_pages.actions import FactChange, do_change_risk_fact
from safehaven.countries.queries import facts_on, figures_for
from safehaven.countries.tests.helpers import current_fact, decriminalise


def test_it_keeps_the_2020_figures_after_an_admin_changes_a_fact_in_2026(world):
    admin = world.users["admin"]
    decriminalise("GH", datetime.date(2026, 3, 1), admin)
    assert figures_for(datetime.date(2020, 12, 31)).criminalising == 69
    assert figures_for(datetime.date(2026, 3, 2)).criminalising == 61
    old = facts_on("GH", on=datetime.date(2026, 2, 28))
    assert any(f.value == FactValue.CRIMINALISED for f in old)


def test_it_closes_the_previous_fact_the_day_before_and_audits_the_change(world):
    before = current_fact("GH")
    new = decriminalise("GH", datetime.date(2026, 3, 1), world.users["admin"])
    before.refresh_from_db()
    assert before.valid_to == datetime.date(2026, 2, 28)
    assert new.changed_by == world.users["admin"]
    event = AuditEvent.objects.get(event_type=EventType.COUNTRY_FACT_CHANGED)
    assert event.target_ref == str(new.pk)


def test_it_refuses_a_change_that_starts_before_the_current_fact(world):
    with pytest.raises(ActionRefused, match="valid from 2020-12-01"):
        decriminalise("GH", datetime.date(2020, 1, 1), world.users["admin"])


def test_it_refuses_to_change_a_fact_that_is_history(world):
    closed = current_fact("GH")
    decriminalise("GH", datetime.date(2026, 3, 1), world.users["admin"])
    closed.refresh_from_db()
    change = FactChange("criminalised", "unknown", "x", "y", 2026, datetime.date(2026, 6, 1))
    with pytest.raises(ActionRefused, match="history"):
        do_change_risk_fact(closed, change, actor=world.users["admin"])


def test_it_refuses_a_value_of_another_kind(world):
    change = FactChange("death_in_force", "", "x", "y", 2026, datetime.date(2026, 6, 1))
    with pytest.raises(ActionRefused, match="does not fit"):
        do_change_risk_fact(current_fact("GH"), change, actor=world.users["admin"])
