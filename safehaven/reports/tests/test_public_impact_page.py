"""The public impact page: open to anyone in every language, no cookie, the public form's
guards, figures only up to the end of the previous quarter, nothing about anyone."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client

from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.core.tests.test_public_pages import OTHER_ORIGIN, assert_protective_headers
from safehaven.reports.choices import Measure
from safehaven.reports.figures import zones
from safehaven.reports.models import CaseFigures, YearlyGoal
from safehaven.reports.tests.dashboard_helpers import add_case
from safehaven.reports.tests.figures_helpers import (
    add_requests,
    add_total,
    month,
    relocated,
    set_zone,
)
from safehaven.reports.tests.public_impact_helpers import (
    IMPACT_URL,
    LANGUAGE_CODES,
    figure,
    on_day,
    origins_table,
    read_page,
)

D = datetime.date
TODAY = D(2026, 12, 7)
REQUEST_FORM_URL = "/en/help/"


def without_nonce(value: str) -> str:
    return re.sub(r"'nonce-[^']*'", "'nonce'", value)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGE_CODES)
def test_it_opens_logged_out_in_every_language_without_a_cookie_or_a_session(language, monkeypatch):
    on_day(monkeypatch, TODAY)
    sessions = Session.objects.count()
    response = Client().get(f"/{language}/impact/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response
    assert not response.cookies, list(response.cookies)
    assert Session.objects.count() == sessions
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert 'href="/exit"' in html
    assert not OTHER_ORIGIN.search(html), OTHER_ORIGIN.search(html)
    assert "style=" not in html
    assert "<style" not in html
    assert_protective_headers(response)


@pytest.mark.django_db
def test_it_sends_the_same_guards_and_headers_as_the_public_request_form(client, monkeypatch):
    on_day(monkeypatch, TODAY)
    impact = client.get(IMPACT_URL)
    form = client.get(REQUEST_FORM_URL)
    compared = set(form.headers) - {"Content-Length", "Content-Type"}
    assert compared <= set(impact.headers)
    for name in compared:
        assert without_nonce(impact[name]) == without_nonce(form[name]), name
    assert impact["Cache-Control"] == "no-store, max-age=0"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_refuses_every_method_but_reading(method, monkeypatch):
    on_day(monkeypatch, TODAY)
    response = getattr(Client(), method)(IMPACT_URL)
    assert response.status_code == 405
    assert not response.cookies


@pytest.mark.django_db
def test_it_answers_head_like_get(monkeypatch):
    on_day(monkeypatch, TODAY)
    response = Client().head(IMPACT_URL)
    assert response.status_code == 200
    assert not response.cookies


@pytest.mark.django_db
def test_it_compresses_the_page_it_shows_to_everyone(monkeypatch):
    on_day(monkeypatch, TODAY)
    response = Client().get(IMPACT_URL, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"


@pytest.mark.django_db
def test_it_renders_sensibly_with_no_data_at_all(monkeypatch):
    from safehaven.countries.models import RiskFact

    RiskFact.objects.all().delete()
    page = read_page(TODAY, monkeypatch)
    assert "Figures up to 30 September 2026." in page
    assert "No one is recorded as relocated yet." in page
    assert figure(page, "figure-requests-this-year") == "fewer than 5"
    assert 'id="no-origins"' in page
    assert 'id="no-laws"' in page
    assert "None" not in page


@pytest.mark.django_db
def test_it_prints_the_cut_off_in_the_page_language(monkeypatch):
    assert "30 сентября 2026" in read_page(TODAY, monkeypatch, "ru")
    assert "30 septembre 2026" in read_page(TODAY, monkeypatch, "fr")
    assert "30 de septiembre de 2026" in read_page(TODAY, monkeypatch, "es")


@pytest.mark.django_db
def test_it_shows_totals_goal_requests_and_countries_up_to_the_cut_off(world, monkeypatch):
    organisation = world.organisation
    add_total(world, Measure.RELOCATED, 200, D(2006, 1, 1), D(2016, 12, 31))
    for _n in range(12):
        relocated(organisation, month(2026, 3), country="RU")
    relocated(organisation, month(2026, 9), people=4, country="AF")
    YearlyGoal.objects.create(
        organisation=organisation, year=2026, relocations=40, set_by=world.users["admin"]
    )
    add_requests(25, received=month(2026, 2))
    page = read_page(TODAY, monkeypatch)
    assert "People relocated since 2006" in page
    # 216 and 16 people, 25 requests: each rounded down to a multiple of 5.
    assert figure(page, "figure-since-start") == "at least 215"
    assert figure(page, "figure-this-year") == "at least 15"
    assert "Our goal for 2026: 40 people relocated." in page
    # From the rounded 15 (37%), not from the exact 16 (40%), which it would tell back.
    assert "We have reached 37% of it." in page
    assert 'max="100" value="37"' in page
    assert figure(page, "figure-requests-this-year") == "at least 25"
    assert "rounded down to a multiple of 5" in figure(page, "rounding")
    assert origins_table(page) == {"Russia": "10"}  # AF's 4 people: under 5 "other"


@pytest.mark.django_db
def test_it_names_countries_in_the_page_language(world, monkeypatch):
    for _n in range(11):
        relocated(world.organisation, month(2026, 3), country="AF")
    assert origins_table(read_page(TODAY, monkeypatch, "ru")) == {"Афганистан": "10"}
    assert origins_table(read_page(TODAY, monkeypatch, "fr")) == {"Afghanistan": "10"}


@pytest.mark.django_db
def test_it_shows_no_figure_from_after_the_end_of_the_quarter(world, monkeypatch):
    organisation = world.organisation
    for _n in range(10):
        relocated(organisation, month(2026, 6), country="IR")
    before = read_page(TODAY, monkeypatch)
    # Arrivals, a total and requests of October and later: after the cut-off of 30 September.
    for _n in range(7):
        relocated(organisation, month(2026, 10), country="IR")
    relocated(organisation, month(2026, 11), people=20, country="UG")
    add_total(world, Measure.RELOCATED, 50, D(2026, 10, 1), D(2026, 10, 31))
    add_requests(40, received=month(2026, 10))
    caches["template_fragments"].clear()  # nothing kept: counted afresh
    after = read_page(TODAY, monkeypatch)
    for figure_id in ("figure-since-start", "figure-this-year", "figure-requests-this-year"):
        assert figure(after, figure_id) == figure(before, figure_id), figure_id
    assert figure(after, "figure-since-start") == "at least 10"
    assert origins_table(after) == origins_table(before) == {"Iran": "10"}
    # The next quarter shows them.
    next_quarter = read_page(D(2027, 1, 2), monkeypatch)
    assert figure(next_quarter, "figure-since-start") == "at least 85"  # 10 + 7 + 20 + 50
    assert origins_table(next_quarter) == {"Uganda": "20", "Iran": "15"}


@pytest.mark.django_db
def test_it_shows_the_law_figures_of_the_cut_off_day_with_sources(country_facts, monkeypatch):
    page = read_page(D(2024, 2, 1), monkeypatch)  # cut-off 31 December 2023
    assert "on 31 December 2023:" in page
    assert figure(page, "figure-criminalising").isdigit()
    death = figure(page, "figure-death-in-force")
    assert death.startswith("7: ")
    assert "Uganda" in death
    assert "Iran" in death
    assert figure(page, "figure-death-possible").startswith("5: ")
    assert "ILGA World: State-Sponsored Homophobia 2020" in page
    assert "CC BY-NC 4.0" in page
    before_uganda = read_page(D(2023, 4, 2), monkeypatch)  # cut-off 31 March 2023
    assert figure(before_uganda, "figure-death-in-force").startswith("6: ")
    assert "Anti-Homosexuality Act 2023" not in before_uganda


@pytest.mark.django_db
def test_it_shows_no_case_id_name_or_sealed_text(world, monkeypatch):
    from safehaven.cases.tests.helpers import open_case

    sentinel = "Sentinel-Impact-Marshwren"
    case = open_case(world, situation=f"{sentinel} wrote this.", contact_telegram="@impact_wren")
    CaseFigures.objects.update_or_create(
        case=case,
        defaults={
            "organisation": world.organisation,
            "country": "RU",
            "received_month": month(2026, 2),
            "arrived_month": month(2026, 5),
            "people": 11,
            "state": CaseState.CLOSED,
            "outcome": CaseOutcome.RELOCATED,
        },
    )
    add_case(
        world,
        case_id=7654321,
        received=month(2026, 1),
        arrived=month(2026, 4),
        people=6,
        country="UA",
        state=CaseState.CLOSED,
    )
    page = read_page(TODAY, monkeypatch)
    assert origins_table(page) == {"Russia": "10", "Other countries": "5"}
    for secret in (sentinel, "@impact_wren", "7654321", "Ukraine", f"/cases/{case.pk}/"):
        assert secret not in page, secret
    for user in world.users.values():
        assert user.username not in page.replace("Safe Haven", "")


@pytest.mark.django_db
def test_it_escapes_a_country_code_written_into_the_database_by_hand(world, monkeypatch):
    """A database-write attacker's figures row cannot put markup on the public page."""
    for _n in range(10):
        relocated(world.organisation, month(2026, 3), country="<b")
    page = read_page(TODAY, monkeypatch)
    assert '<th scope="row">&lt;b</th>' in page
    assert page.count("<b") == page.count("<body")


@pytest.mark.django_db
def test_it_ends_the_quarter_in_the_organisations_reporting_zone(world, monkeypatch):
    """At 13:00 UTC on 30 June it is already 1 July in Auckland: the quarter to 30 June is over
    there, as the dashboard of an organisation reporting in Auckland counts it."""
    from django.utils import timezone

    from safehaven.reports.public_impact import cut_off

    set_zone(world.organisation, "Pacific/Auckland")
    now = datetime.datetime(2026, 6, 30, 13, tzinfo=datetime.UTC)
    monkeypatch.setattr(zones.timezone, "now", lambda: now)
    assert cut_off.reporting_today() == D(2026, 7, 1)
    assert timezone.localdate(now) == D(2026, 6, 30)  # what the page went by before
    assert "Figures up to 30 June 2026." in Client().get(IMPACT_URL).content.decode()
    set_zone(world.organisation, "America/Toronto")
    caches["template_fragments"].clear()
    assert "Figures up to 31 March 2026." in Client().get(IMPACT_URL).content.decode()


@pytest.mark.django_db
def test_it_hides_the_percent_when_the_rounded_figure_is_under_5(world, monkeypatch):
    relocated(world.organisation, month(2026, 5), people=4)
    YearlyGoal.objects.create(
        organisation=world.organisation, year=2026, relocations=8, set_by=world.users["admin"]
    )
    page = read_page(TODAY, monkeypatch)
    assert figure(page, "figure-this-year") == "fewer than 5"
    assert "Our goal for 2026: 8 people relocated." in page
    assert "We have reached" not in page
    assert 'id="goal-progress"' not in page


@pytest.mark.django_db
def test_its_chart_ids_do_not_count_the_charts_drawn_for_staff(world, monkeypatch):
    """The ids were "chart-N" from a process-wide counter: a visitor comparing two visits
    learnt how many charts staff had drawn in between."""
    from safehaven.reports.charts.svg import funnel_chart, line_chart

    for _n in range(12):
        relocated(world.organisation, month(2026, 3), country="RU")
    before = read_page(TODAY, monkeypatch)
    for number in range(40):  # the dashboard's charts, drawn for staff in between
        funnel_chart([("Requests", number)], title="Funnel", description="By stage.")
        line_chart([("2026", number)], title="By year", description="Requests.")
    after = read_page(TODAY, monkeypatch)
    ids = re.findall(r'id="(chart-[^"]*)"', before)
    assert ids
    assert ids == re.findall(r'id="(chart-[^"]*)"', after)
    assert not any(re.fullmatch(r"chart-\d+-(title|desc)", chart_id) for chart_id in ids)


@pytest.mark.parametrize("language", ["en", "ru", "fa"])
def test_the_landing_page_links_to_it_in_its_own_language(db, language):
    page = Client().get(f"/{language}/").content.decode()
    assert f'href="/{language}/impact/" id="impact-link"' in page
