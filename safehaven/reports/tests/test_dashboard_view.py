"""The staff reports dashboard: the funnel and the other figures of the reader's organisation,
its filters and their refusals, who may see it, and what it never shows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.cases.choices import CaseState
from safehaven.countries.models import Crisis
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.keys.actions.duress import do_set_duress_password
from safehaven.partners.vetting.queries import partner_organisations
from safehaven.reports.models import YearlyGoal
from safehaven.reports.tests.dashboard_helpers import (
    DASHBOARD_URL,
    FEWER,
    MARCH_2019,
    add_case,
    funnel_2019,
    row,
)

pytestmark = pytest.mark.django_db


def test_it_shows_the_funnel_of_the_chosen_year(world: Any, staff_client: Any) -> None:
    funnel_2019(world)
    page = staff_client("supervisor").get(DASHBOARD_URL, {"year": "2019"}).content.decode()
    assert "The funnel in 2019" in page
    for label, value in [
        ("Asked for help", 4),
        ("Verified", 5),
        ("Supported", 2),
        ("Relocated", 0),
    ]:
        assert row(label, value) in page
    # The ten years up to the chosen one, with the arrival of January 2020 left out.
    years = page.split('id="dashboard-funnel-by-year"')[1]
    assert '<th scope="row">2010</th>' in years
    assert '<th scope="row">2019</th><td>4</td><td>5</td><td>2</td><td>0</td>' in years
    assert "2020" not in years


def test_it_counts_an_arrival_in_the_year_it_happened(world: Any, staff_client: Any) -> None:
    funnel_2019(world)
    page = staff_client("triage").get(DASHBOARD_URL, {"year": "2020"}).content.decode()
    assert row("Relocated", 2) in page
    assert "Half of the people who arrived waited 10 months or less" in page


def test_it_narrows_the_figures_by_country(world: Any, staff_client: Any) -> None:
    funnel_2019(world)
    page = staff_client("triage").get(DASHBOARD_URL, {"year": "2019", "country": "KG"})
    assert row("Verified", 3) in page.content.decode()


def test_it_shows_the_current_year_by_default(world: Any, staff_client: Any) -> None:
    year = timezone.localdate().year
    page = staff_client("triage").get(DASHBOARD_URL).content.decode()
    assert f"The funnel in {year}" in page
    assert re.search(rf'name="year" value="{year}"', page)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "twenty"}, "Give the year as four digits, for example 2017."),
        ({"year": "1800"}, "Give a year from 1990 on."),
        ({"year": "9999"}, "Give a year up to"),
        ({"country": "ZZ"}, "Select a valid choice."),
        ({"pathway": "teleport"}, "Select a valid choice."),
        ({"partner": "999999"}, "Select a valid choice."),
        ({"crisis": "nope"}, "Select a valid choice."),
    ],
)
def test_it_refuses_a_bad_filter_with_a_message(
    world: Any, staff_client: Any, query: dict[str, str], message: str
) -> None:
    response = staff_client("admin").get(DASHBOARD_URL, query)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "Correct the filters above to see the figures." in page
    assert 'id="dashboard-funnel"' not in page


def test_it_is_only_read(world: Any, staff_client: Any) -> None:
    assert staff_client("admin").post(DASHBOARD_URL, {"year": "2019"}).status_code == 405


@pytest.mark.parametrize("username", ["caseworker", "finance", "interpreter", "partner_a"])
def test_it_refuses_those_who_may_not_view_reports(
    world: Any, staff_client: Any, username: str
) -> None:
    assert staff_client(username).get(DASHBOARD_URL).status_code == 403


def test_it_sends_a_stranger_to_log_in(world: Any, client: Any) -> None:
    response = client.get(DASHBOARD_URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_links_the_administrators_pages_for_administrators_only(
    world: Any, staff_client: Any
) -> None:
    admin = staff_client("admin").get(DASHBOARD_URL).content.decode()
    triage = staff_client("triage").get(DASHBOARD_URL).content.decode()
    for admin_only in ("/en/staff/reports/goals/", "/en/staff/reports/retention/"):
        assert f'href="{admin_only}"' in admin
        assert f'href="{admin_only}"' not in triage
    for page in (admin, triage):
        assert 'href="/en/staff/reports/crises/"' in page
        assert 'href="/en/staff/reports/exports/"' in page


def test_it_shows_the_goal_of_the_current_year(world: Any, staff_client: Any) -> None:
    month = timezone.localdate().replace(day=1)
    add_case(world, received=month, arrived=month, people=3, state=CaseState.ARRIVED)
    YearlyGoal.objects.create(
        organisation=world.organisation,
        year=month.year,
        relocations=100,
        set_by=world.users["admin"],
    )
    page = staff_client("supervisor").get(DASHBOARD_URL).content.decode()
    assert "3 people relocated so far of a goal of 100 (3%)." in page
    assert row("Goal", 100) in page


def test_it_shows_the_advocacy_role_counts_and_no_case(world: Any) -> None:
    add_case(world, received=MARCH_2019, verified=MARCH_2019, people=6, case_id=734519)
    response = staff_client_with_keys(world, "advocacy").get(DASHBOARD_URL, {"year": "2019"})
    page = response.content.decode()
    assert response.status_code == 200
    assert row("Verified", 6) in page
    assert "734519" not in page
    assert "/staff/cases/" not in page


def test_it_shows_the_real_figures_suppressed_in_a_duress_session(world: Any) -> None:
    # The public impact page shows real totals in the same browser: zeros here would tell a
    # coercer comparing the two that the session is fake. Under duress the page is what a
    # reader without case access sees (the advocacy role), whatever the coerced member's role.
    funnel_2019(world)
    triage = world.users["triage"]
    duress_password = "a coerced phrase 4417 of nothing"
    do_set_duress_password(triage, duress_password, actor=triage)
    honest = staff_client_with_keys(world, "triage").get(DASHBOARD_URL, {"year": "2019"})
    assert row("Asked for help", 4) in honest.content.decode()
    coerced = _log_in_with(world, "triage", duress_password)
    response = coerced.get(DASHBOARD_URL, {"year": "2019"})
    page = response.content.decode()
    assert response.status_code == 200
    assert row("Verified", 5) in page
    assert row("Asked for help", FEWER) in page
    assert TEST_PASSWORD not in page
    advocacy = staff_client_with_keys(world, "advocacy").get(DASHBOARD_URL, {"year": "2019"})
    figures = page.split('id="dashboard-funnel"', 1)[1]
    assert figures == advocacy.content.decode().split('id="dashboard-funnel"', 1)[1]


def test_it_offers_no_partner_but_the_crises_in_a_duress_session(world: Any) -> None:
    triage = world.users["triage"]
    duress_password = "a coerced phrase 4417 of nothing"
    do_set_duress_password(triage, duress_password, actor=triage)
    crisis = Crisis.objects.create(
        name="Flood of the walk", starts_on=MARCH_2019, created_by=world.users["admin"]
    )
    partner = partner_organisations().first()
    assert partner is not None
    honest = staff_client_with_keys(world, "triage").get(DASHBOARD_URL).content.decode()
    coerced = _log_in_with(world, "triage", duress_password).get(DASHBOARD_URL)
    page = coerced.content.decode()
    assert f'<option value="{partner.pk}">' in honest
    assert f'<option value="{partner.pk}">' not in page
    # The staff crisis list shows the crises to a duress session too, and open ones have
    # public pages: hiding them only here would stand out.
    assert f'<option value="{crisis.pk}">Flood of the walk</option>' in page


def test_it_draws_every_chart_with_its_table_and_no_inline_style(
    world: Any, staff_client: Any
) -> None:
    funnel_2019(world)
    page = staff_client("admin").get(DASHBOARD_URL, {"year": "2019"}).content.decode()
    charts = page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"')
    assert charts == 7
    assert page.count('<table class="chart-table">') == charts
    assert not re.search(r"\sstyle=|<style", page)


def _log_in_with(world: Any, username: str, password: str) -> Any:
    from safehaven.accounts.tests.duress_logins import log_in

    return log_in(world, username, password)
