"""Demo reports for `make demo`, through the real actions as the demo administrator: the
reporting time zone (Toronto), historical totals in the shape of a real relocating
organisation's first decade ("more than 200 relocated since 2006", "81 in 2016", "42 between
1 January and 21 April 2017", with the requests, verifications and support of those years),
yearly goals (100 for 2017, and the current year's), and the figures of the demo's cases
counted so that the dashboard shows them. Registered by ``ReportsConfig.ready``, after every
other app's step (reports come last in INSTALLED_APPS), so the cases already exist. A second
load makes nothing twice. Everything here is invented."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.utils import timezone

from safehaven.accounts.models import Organisation, User
from safehaven.core import demo
from safehaven.reports.choices import Measure
from safehaven.reports.figures.refresh import refresh_all_figures
from safehaven.reports.goals.access import managed_organisations
from safehaven.reports.goals.actions import (
    do_change_reporting_settings,
    do_record_historical_total,
    do_set_yearly_goal,
)
from safehaven.reports.models import HistoricalTotal, ReportingSettings, YearlyGoal

TIME_ZONE = "America/Toronto"
M = Measure
D = datetime.date


class DemoTotal(NamedTuple):
    measure: Measure
    people: int
    start: datetime.date
    end: datetime.date
    source: str


FIRST_DECADE = (D(2006, 1, 1), D(2015, 12, 31))
YEAR_2016 = (D(2016, 1, 1), D(2016, 12, 31))
EARLY_2017 = (D(2017, 1, 1), D(2017, 4, 21))

DEMO_TOTALS = [
    DemoTotal(M.REQUESTS, 1460, *FIRST_DECADE, "Annual reports 2006 to 2015 (demo)"),
    DemoTotal(M.VERIFIED, 212, *FIRST_DECADE, "Annual reports 2006 to 2015 (demo)"),
    DemoTotal(M.SUPPORTED, 160, *FIRST_DECADE, "Annual reports 2006 to 2015 (demo)"),
    DemoTotal(M.RELOCATED, 95, *FIRST_DECADE, "Annual reports 2006 to 2015 (demo)"),
    DemoTotal(M.REQUESTS, 640, *YEAR_2016, "Annual report 2016 (demo)"),
    DemoTotal(M.VERIFIED, 118, *YEAR_2016, "Annual report 2016 (demo)"),
    DemoTotal(M.SUPPORTED, 97, *YEAR_2016, "Annual report 2016 (demo)"),
    DemoTotal(M.RELOCATED, 81, *YEAR_2016, "Annual report 2016 (demo)"),
    # The spring 2017 surge of requests from the North Caucasus.
    DemoTotal(M.REQUESTS, 1930, *EARLY_2017, "Board report, April 2017 (demo)"),
    DemoTotal(M.VERIFIED, 88, *EARLY_2017, "Board report, April 2017 (demo)"),
    DemoTotal(M.SUPPORTED, 61, *EARLY_2017, "Board report, April 2017 (demo)"),
    DemoTotal(M.RELOCATED, 42, *EARLY_2017, "Board report, April 2017 (demo)"),
]


def demo_goals(today: datetime.date) -> dict[int, int]:
    """Goals by year: 100 for 2017, as the organisation set that April, and this year's."""
    return {2016: 80, 2017: 100, today.year: 150}


def _add_totals(organisation: Organisation, admin: User) -> None:
    for total in DEMO_TOTALS:
        entered = HistoricalTotal.objects.filter(
            organisation=organisation,
            measure=total.measure,
            period_start=total.start,
            period_end=total.end,
            removed_at__isnull=True,
        )
        if not entered.exists():
            do_record_historical_total(
                organisation,
                measure=total.measure,
                people=total.people,
                period_start=total.start,
                period_end=total.end,
                source=total.source,
                actor=admin,
            )


def _set_goals(organisation: Organisation, admin: User) -> None:
    for year, relocations in demo_goals(timezone.localdate()).items():
        if not YearlyGoal.objects.filter(organisation=organisation, year=year).exists():
            do_set_yearly_goal(organisation, year, relocations, actor=admin)


@demo.register
def describe_demo_reports(base_url: str) -> list[str]:
    admin = User.objects.filter(username="admin").first()
    organisations = managed_organisations(admin) if admin is not None else []
    if admin is None or not organisations:
        return []
    organisation = organisations[0]
    if not ReportingSettings.objects.filter(organisation=organisation).exists():
        do_change_reporting_settings(organisation, time_zone=TIME_ZONE, actor=admin)
    _add_totals(organisation, admin)
    _set_goals(organisation, admin)
    # The demo's cases were made before this step; count them all (again) for the dashboard.
    cases = refresh_all_figures()
    relocated = sum(total.people for total in DEMO_TOTALS if total.measure == M.RELOCATED)
    years = ", ".join(str(year) for year in demo_goals(timezone.localdate()))
    return [
        "",
        f"Reports: {relocated} people relocated since 2006 from historical totals, the figures "
        f"of {cases} demo cases, goals for {years}.",
        f"  The administrator keeps goals and totals at {base_url}/en/staff/reports/goals/ "
        f"(reporting time zone {TIME_ZONE}).",
    ]
