"""What the staff dashboard shows, built from the figures' queries: each part a chart with the
rows of its table view. Counts only: nothing here names a person or points at a case. With
``suppress`` every count under 5 is hidden (``dashboard/shown.py`` says for whom and why)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from safehaven.accounts.models import Organisation
from safehaven.advocacy.requests.counts import DecidedFigures, decided_figures
from safehaven.reports.charts.svg import Bar, bar_chart, funnel_chart, line_chart
from safehaven.reports.choices import Measure
from safehaven.reports.dashboard.shown import (
    Rows,
    ShownGoal,
    ShownSafety,
    ShownYear,
    shown_goal,
    shown_rows,
    shown_safety,
    shown_years,
)
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.figures.queries import (
    GoalProgress,
    SafetyTimes,
    YearFunnel,
    backlog_age,
    funnel_by_year,
    goal_progress,
    time_to_safety,
)
from safehaven.reports.suppression import SMALL_CELL

Drawer = Callable[..., SafeString]


@dataclass(frozen=True)
class Chart:
    """A chart and its table view (the same rows, with the labels in full)."""

    title: str
    svg: SafeString
    rows: Rows
    value_heading: str


@dataclass(frozen=True)
class DashboardPage:
    year: int
    funnel: Chart
    requests_by_year: Chart
    relocated_by_year: Chart
    yearly: list[ShownYear]
    safety: ShownSafety
    safety_chart: Chart
    backlog: Chart
    goal: ShownGoal
    goal_chart: Chart
    advocacy: Chart


def chart(draw: Drawer, title: str, description: str, rows: Rows, value_heading: str) -> Chart:
    svg = draw([Bar(label, value) for label, value in rows], title=title, description=description)
    return Chart(title, svg, rows, value_heading)


def dashboard_page(
    organisations: Sequence[Organisation],
    filters: FigureFilters,
    years: range,
    today: datetime.date,
    *,
    suppress: bool,
) -> DashboardPage:
    year = years[-1]
    if organisations:
        yearly = funnel_by_year(organisations, filters, years)
        safety = time_to_safety(organisations, filters, range(year, year + 1))
        backlog = backlog_age(organisations, filters, today)
        goal = goal_progress(organisations, today.year, today)
    else:
        # No relocating organisation to report on: nothing at all, not even the
        # installation's requests, which belong to no organisation.
        yearly = [YearFunnel(each, 0, 0, 0, 0) for each in years]
        safety = SafetyTimes(median_months=None, distribution=[])
        backlog = []
        goal = GoalProgress(today.year, None, 0, 0, 0, None)
    shown_yearly = shown_years(yearly, suppress=suppress)
    shown = shown_safety(safety, suppress=suppress)
    shown_progress = shown_goal(goal, suppress=suppress)
    chosen = next((row for row in shown_yearly if row.year == year), ShownYear(year, 0, 0, 0, 0))
    people = _("People")
    return DashboardPage(
        year=year,
        funnel=chart(
            funnel_chart,
            _("From request to safety in %(year)s") % {"year": year},
            _(
                "Requests received, then people verified, supported and relocated in "
                "%(year)s, each stage counted in the month it happened."
            )
            % {"year": year},
            funnel_rows(chosen),
            _("Requests or people"),
        ),
        requests_by_year=chart(
            line_chart,
            _("Requests per year"),
            _("Requests received in each of the ten years up to %(year)s.") % {"year": year},
            [(str(row.year), row.requests) for row in shown_yearly],
            _("Requests"),
        ),
        relocated_by_year=chart(
            line_chart,
            _("People relocated per year"),
            _("People who arrived in safety in each of the ten years up to %(year)s.")
            % {"year": year},
            [(str(row.year), row.relocated) for row in shown_yearly],
            people,
        ),
        yearly=shown_yearly,
        safety=shown,
        safety_chart=chart(
            bar_chart,
            _("Time to safety in %(year)s") % {"year": year},
            _("People who arrived in %(year)s, by the months from their request to arrival.")
            % {"year": year},
            shown.distribution,
            people,
        ),
        backlog=chart(
            bar_chart,
            _("Backlog by waiting time"),
            _("Open requests and cases today, by how long they have been waiting."),
            shown_rows(backlog, suppress=suppress),
            _("Requests and cases"),
        ),
        goal=shown_progress,
        goal_chart=chart(
            bar_chart,
            _("Goal for %(year)s") % {"year": goal.year},
            _("People relocated so far this year against the year's goal."),
            goal_rows(shown_progress),
            people,
        ),
        advocacy=chart(
            bar_chart,
            _("Requests to governments decided in %(year)s") % {"year": year},
            _("Emergency-visa and protection requests decided in %(year)s and their people.")
            % {"year": year},
            advocacy_rows(organisations, year, suppress=suppress),
            _("Requests or people"),
        ),
    )


def funnel_rows(row: ShownYear) -> Rows:
    return [
        (str(Measure.REQUESTS.label), row.requests),
        (str(Measure.VERIFIED.label), row.verified),
        (str(Measure.SUPPORTED.label), row.supported),
        (str(Measure.RELOCATED.label), row.relocated),
    ]


def goal_rows(goal: ShownGoal) -> Rows:
    rows: Rows = [(_("Relocated so far"), goal.relocated)]
    if goal.goal is not None:
        rows.insert(0, (_("Goal"), goal.goal))
    return rows


def advocacy_rows(
    organisations: Sequence[Organisation], year: int, *, suppress: bool = False
) -> Rows:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    total = DecidedFigures(0, 0, 0, 0, 0)
    for organisation in organisations:
        found = decided_figures(organisation, start, end)
        total = DecidedFigures(
            total.requests + found.requests,
            total.granted + found.granted,
            total.refused + found.refused,
            total.people_granted + found.people_granted,
            total.people_refused + found.people_refused,
        )
    # Granted and refused sum to the requests decided, shown above them: hidden together.
    decisions = shown_rows(
        [(_("Requests granted"), total.granted), (_("Requests refused"), total.refused)],
        suppress=suppress,
        total_published=True,
    )
    people = shown_rows(
        [
            (_("People granted protection"), total.people_granted),
            (_("People refused"), total.people_refused),
        ],
        suppress=suppress,
    )
    decided = total.requests if not suppress or total.requests >= SMALL_CELL else None
    return [(_("Requests decided"), decided), *decisions, *people]
