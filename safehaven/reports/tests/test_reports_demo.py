"""The demo's reports: historical totals in the shape of the issue's seed ("81 in 2016", "42
since January 2017" as of 21 April 2017 toward a goal of 100, more than 200 since 2006), this
year's goal and the Toronto time zone, made by the real actions; the demo's cases counted;
a second load makes nothing twice; `make demo`'s whole load still runs."""

import datetime

import pytest
from django.utils import timezone

from safehaven.accounts.demo import load_demo_world
from safehaven.cases.models import Case
from safehaven.core import demo
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.reports.demo import describe_demo_reports
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.figures.queries import (
    funnel_by_year,
    goal_progress,
    relocated_since_start,
    relocating_organisations,
)
from safehaven.reports.models import CaseFigures, HistoricalTotal, ReportingSettings, YearlyGoal

pytestmark = pytest.mark.django_db

BASE = "http://localhost:8000"
REPORT_EVENTS = (
    EventType.HISTORICAL_TOTAL_RECORDED,
    EventType.YEARLY_GOAL_SET,
    EventType.REPORTING_SETTINGS_CHANGED,
)


def report_events() -> int:
    return AuditEvent.objects.filter(event_type__in=REPORT_EVENTS).count()


def test_it_reproduces_the_seeds_figures_from_the_data():
    load_demo_world()
    text = "\n".join(describe_demo_reports(BASE))
    assert "218 people relocated since 2006" in text
    assert "/en/staff/reports/goals/" in text
    organisations = list(relocating_organisations())
    assert len(organisations) == 1
    progress = goal_progress(organisations, 2017, datetime.date(2017, 4, 21))
    assert (progress.relocated, progress.goal, progress.percent) == (42, 100, 42)
    (year_2016,) = funnel_by_year(organisations, FigureFilters(), range(2016, 2017))
    assert year_2016.relocated == 81
    assert year_2016.requests >= year_2016.verified >= year_2016.supported >= 81
    since = relocated_since_start(organisations, datetime.date(2017, 4, 21))
    assert since.first_year == 2006
    assert since.people > 200
    this_year = timezone.localdate().year
    assert YearlyGoal.objects.filter(year=this_year).exists()
    assert ReportingSettings.objects.get().time_zone == "America/Toronto"


def test_a_second_load_makes_nothing_twice():
    load_demo_world()
    describe_demo_reports(BASE)
    rows = (HistoricalTotal.objects.count(), YearlyGoal.objects.count())
    events = report_events()
    describe_demo_reports(BASE)
    assert (HistoricalTotal.objects.count(), YearlyGoal.objects.count()) == rows
    assert report_events() == events
    assert rows == (12, 3)


def test_it_writes_no_source_text_into_the_audit_log():
    load_demo_world()
    describe_demo_reports(BASE)
    details = AuditEvent.objects.filter(event_type__in=REPORT_EVENTS).values_list(
        "detail", flat=True
    )
    assert not [detail for detail in details if "report" in detail.lower()]


def test_the_whole_demo_loads_twice_and_counts_every_case(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    lines = demo.load(base_url=BASE)
    assert any(line.startswith("Reports: ") for line in lines)
    assert demo.DEMO_STEPS[-1] is describe_demo_reports
    cases = Case.objects.count()
    assert cases > 0
    assert CaseFigures.objects.count() == cases
    totals = HistoricalTotal.objects.count()
    demo.load(base_url=BASE)
    assert HistoricalTotal.objects.count() == totals
    assert CaseFigures.objects.count() == Case.objects.count()
