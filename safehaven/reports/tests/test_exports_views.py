"""The figures export: both factors asked again before every export, then a CSV (or HXL CSV)
of counts by year and breakdown with small cells suppressed, one audit event; bad input gets a
clear message; who may export; and nothing sealed or real leaves (a duress session's file
counts nothing)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.cases.choices import CaseState
from safehaven.reports.exports.csv_files import BREAKDOWNS, hashtags
from safehaven.reports.tests.dashboard_helpers import add_case
from safehaven.reports.tests.exports_helpers import (
    EXPORT_URL,
    exported_events,
    file_rows,
    logged_in,
    reauthenticated,
)
from safehaven.reports.tests.figures_helpers import add_requests

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2019, 2, 1)
EXPORT_2019 = {"first_year": "2019", "breakdown": "country", "file_format": "csv"}


def figures_2019(world: Any) -> None:
    """Hand-counted 2019: requests RU 30, IR 8, KG 2; people verified RU 12 (3 + 9), IR 2;
    supported RU 12; relocated RU 3."""
    add_case(
        world,
        received=MONTH,
        verified=datetime.date(2019, 4, 1),
        supported=datetime.date(2019, 5, 1),
        arrived=datetime.date(2019, 9, 1),
        people=3,
        state=CaseState.ARRIVED,
    )
    add_case(
        world,
        received=MONTH,
        verified=datetime.date(2019, 4, 1),
        supported=datetime.date(2019, 6, 1),
        people=9,
        state=CaseState.PLANNING,
    )
    add_case(
        world,
        received=MONTH,
        verified=datetime.date(2019, 7, 1),
        people=2,
        country="IR",
        state=CaseState.VERIFIED,
    )
    add_requests(30, received=MONTH)
    add_requests(8, received=MONTH, country="IR")
    add_requests(2, received=MONTH, country="KG")


def by_code(rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[1]: row for row in rows[1:] if row[1]}


def test_it_asks_for_both_factors_again_before_every_export(world):
    figures_2019(world)
    client = logged_in(world, "supervisor")
    for response in (client.get(EXPORT_URL), client.post(EXPORT_URL, EXPORT_2019)):
        assert response.status_code == 302
        assert "/accounts/reauthenticate/" in response["Location"]
        assert "next=%2Fen%2Fstaff%2Freports%2Fexports%2F" in response["Location"]
    assert not exported_events()
    client = reauthenticated(world, "supervisor", client=client)
    page = client.get(EXPORT_URL).content.decode()
    assert "Download the file" in page
    assert file_rows(client.post(EXPORT_URL, EXPORT_2019))


def test_it_exports_counts_by_country_with_small_cells_hidden(world):
    figures_2019(world)
    client = reauthenticated(world, "admin")
    response = client.post(EXPORT_URL, EXPORT_2019)
    assert "no-store" in response["Cache-Control"]
    rows = file_rows(response)
    assert rows[0] == [
        "Year",
        "Country code",
        "Country of origin",
        "Asked for help",
        "Verified",
        "Supported",
        "Relocated",
    ]
    countries = by_code(rows)
    russia = countries["RUS"]
    assert russia[:4] == ["2019", "RUS", "Russia", "30"]
    assert russia[6] == ""  # 3 relocated: hidden
    assert countries["IRN"][4] == ""  # 2 verified: hidden
    assert "KGZ" not in countries  # every count small: folded into "Other"
    assert countries["other"][2] == "Other (small numbers)"
    total = rows[-1]
    assert total[:4] == ["2019", "", "Total", "40"]
    assert total[6] == ""  # 3 relocated in all: a total under 5 is hidden
    for row in rows[1:]:
        for cell in row[3:]:
            assert cell == "" or int(cell) >= 5, row
    [event] = exported_events()
    assert event.actor_id == world.users["admin"].pk
    assert event.detail == "country, csv, 2019-2019"
    assert event.target_ref == "country"


def test_it_adds_the_hxl_hashtag_row(world):
    figures_2019(world)
    client = reauthenticated(world, "advocacy")
    posted = EXPORT_2019 | {"file_format": "hxl", "last_year": "2020"}
    response = client.post(EXPORT_URL, posted)
    assert 'filename="figures-country-2019-2020-hxl.csv"' in response["Content-Disposition"]
    rows = file_rows(response)
    assert rows[1] == [
        "#date+year",
        "#country+code+origin",
        "#country+name+origin",
        "#affected+requests",
        "#targeted+ind+verified",
        "#reached+ind+supported",
        "#reached+ind+relocated",
    ]
    # Each year its own table and totals row; years are never summed into one cell.
    totals = [row for row in rows[2:] if row[2] == "Total"]
    assert [row[0] for row in totals] == ["2019", "2020"]
    assert totals[1][3:] == ["", "", "", ""]
    [event] = exported_events()
    assert event.detail == "country, hxl, 2019-2020"


def test_every_breakdown_has_its_hashtags():
    for breakdown in BREAKDOWNS.values():
        tags = hashtags(breakdown)
        assert all(tag.startswith("#") and " " not in tag for tag in tags)
        assert tags[0] == "#date+year"


def test_it_never_lets_a_name_run_as_a_formula(world):
    partner = Organisation.objects.create(name="=HYPERLINK(evil)", kind=OrganisationKind.PARTNER)
    add_requests(6, received=MONTH, referred_by=partner)
    client = reauthenticated(world, "admin")
    rows = file_rows(client.post(EXPORT_URL, EXPORT_2019 | {"breakdown": "partner"}))
    [row] = [row for row in rows if row[1] == str(partner.pk)]
    assert row[2] == "'=HYPERLINK(evil)"


BAD_INPUT = [
    ({"breakdown": "people"}, "Choose one of the listed breakdowns."),
    ({"file_format": "xlsx"}, "Choose CSV or CSV with HXL hashtags."),
    ({"first_year": "1800"}, "Give a year from 1990 on."),
    ({"first_year": "twenty"}, "Give the year as four digits, for example 2017."),
    ({"first_year": "2019", "last_year": "2018"}, "The last year comes before the first."),
    ({"first_year": "1990", "last_year": "2024"}, "One file holds at most 30 years."),
    ({"first_year": "9999"}, "Give a year up to"),
]


def test_it_refuses_bad_input_with_a_clear_message(world):
    client = reauthenticated(world, "admin")
    for posted, message in BAD_INPUT:
        response = client.post(EXPORT_URL, EXPORT_2019 | posted)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert message in response.content.decode(), posted
    assert not exported_events()


def test_roles_without_reports_are_refused(world):
    client = reauthenticated(world, "caseworker")
    assert client.get(EXPORT_URL).status_code == 403
    assert client.post(EXPORT_URL, EXPORT_2019).status_code == 403
    assert not exported_events()
