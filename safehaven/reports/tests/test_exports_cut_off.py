"""Where the figures files stop: a year not yet finished at the end of its last finished
quarter (so files a month apart cannot be subtracted), a finished year whole, the day counted in
the organisation's reporting zone; the file's name, its totals row and the page say so."""

from __future__ import annotations

import csv
import datetime
import io

import pytest

from safehaven.reports.exports import views
from safehaven.reports.exports.csv_files import build_yearly_csv
from safehaven.reports.figures import zones
from safehaven.reports.figures.queries import relocating_organisations
from safehaven.reports.public_impact import cut_off
from safehaven.reports.tests.exports_helpers import EXPORT_URL, file_rows, reauthenticated
from safehaven.reports.tests.figures_helpers import add_requests, month, relocated, set_zone

pytestmark = pytest.mark.django_db

D = datetime.date


def arrivals(world, when: datetime.date, people: dict[str, int], requests: int = 0) -> None:
    for country, count in people.items():
        for _n in range(count):
            relocated(world.organisation, when, country=country)
    add_requests(requests, received=when)


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_two_files_a_month_apart_within_a_quarter_are_the_same(world):
    """Cut at each month's end, the August file minus the July file gave July's arrivals from
    each country by subtraction (RU 9 -> 16: seven people in July)."""
    arrivals(world, month(2026, 5), {"RU": 9, "IR": 6}, requests=20)
    arrivals(world, month(2026, 7), {"RU": 7, "IR": 2}, requests=8)
    arrivals(world, month(2026, 8), {"RU": 5, "UG": 6}, requests=11)
    organisations = list(relocating_organisations())
    in_august = build_yearly_csv(organisations, 2026, D(2026, 8, 3))
    in_september = build_yearly_csv(organisations, 2026, D(2026, 9, 28))
    assert in_august == in_september
    rows = rows_of(in_august)
    assert rows[-1][:4] == ["2026", "", "Total up to 2026-06-30", "20"]
    assert rows[-1][6] == "15"  # May only: RU 9 + IR 6
    # The next quarter's file counts July to September, and says so.
    in_october = rows_of(build_yearly_csv(organisations, 2026, D(2026, 10, 2)))
    assert in_october[-1][:4] == ["2026", "", "Total up to 2026-09-30", "39"]
    assert in_october[-1][6] == "35"


def test_a_finished_year_is_counted_whole(world):
    arrivals(world, month(2025, 12), {"RU": 6}, requests=7)
    content = build_yearly_csv(relocating_organisations(), 2025, D(2026, 1, 4))
    assert rows_of(content)[-1] == ["2025", "", "Total", "7", "", "", "6"]


def test_the_day_is_today_in_the_organisations_reporting_zone(world, monkeypatch):
    """At 13:00 UTC on 30 September it is 1 October in Auckland: the third quarter is over."""
    set_zone(world.organisation, "Pacific/Auckland")
    now = datetime.datetime(2026, 9, 30, 13, tzinfo=datetime.UTC)
    monkeypatch.setattr(zones.timezone, "now", lambda: now)
    assert cut_off.reporting_today([world.organisation]) == D(2026, 10, 1)
    arrivals(world, month(2026, 8), {"RU": 5})
    rows = rows_of(build_yearly_csv(relocating_organisations(), 2026))
    assert rows[-1][2] == "Total up to 2026-09-30"
    assert rows[-1][6] == "5"


def test_the_page_and_the_file_name_say_where_an_unfinished_year_stops(world, monkeypatch):
    monkeypatch.setattr(views, "reporting_today", lambda *organisations: D(2026, 8, 3))
    arrivals(world, month(2026, 2), {"RU": 5})
    client = reauthenticated(world, "admin")
    page = client.get(EXPORT_URL).content.decode()
    assert "end of its last finished quarter, 2026-06-30," in page
    posted = {"first_year": "2025", "last_year": "2026", "breakdown": "country"}
    response = client.post(EXPORT_URL, posted | {"file_format": "hxl"})
    name = 'filename="figures-country-2025-2026-until-2026-06-30-hxl.csv"'
    assert name in response["Content-Disposition"]
    totals = [row for row in file_rows(response) if row[2].startswith("Total")]
    assert [row[2] for row in totals] == ["Total", "Total up to 2026-06-30"]
    finished = client.post(EXPORT_URL, posted | {"last_year": "2025", "file_format": "csv"})
    assert 'filename="figures-country-2025.csv"' in finished["Content-Disposition"]
