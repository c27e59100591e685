"""The dashboard's figures as a reader sees them. Readers who may not open cases (advocacy,
administrators) and every duress session see each count under ``SMALL_CELL`` hidden (None,
shown as "fewer than 5"): with five combinable filters, an exact small count could be one
household and its month of arrival. Readers who open cases (triage, supervisors) see every case
already, so exact counts tell them nothing more, and they keep them.

Pure Python on the aggregated results: no query here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from safehaven.reports.figures.queries import GoalProgress, SafetyTimes, YearFunnel
from safehaven.reports.suppression import SMALL_CELL, suppress_counts

Count = int | None
Rows = list[tuple[str, Count]]


@dataclass(frozen=True)
class ShownYear:
    year: int
    requests: Count
    verified: Count
    supported: Count
    relocated: Count


@dataclass(frozen=True)
class ShownSafety:
    median_months: float | None
    # The people counted; None when hidden (under SMALL_CELL, for a suppressed reader), and
    # then so is the median.
    people: Count
    distribution: Rows


@dataclass(frozen=True)
class ShownGoal:
    year: int
    goal: int | None
    relocated: Count
    from_history: Count
    from_cases: Count
    percent: int | None


def shown_rows(
    rows: Sequence[tuple[str, int]], *, suppress: bool, total_published: bool = False
) -> Rows:
    """``rows`` with their small counts hidden when ``suppress``. ``total_published``: the
    rows' sum is on the page (or is another figure there), so more cells are hidden until no
    hidden one can be worked out from it (``suppress_counts``' secondary suppression)."""
    if not suppress:
        return list(rows)
    hidden = suppress_counts(
        {str(index): value for index, (_label, value) in enumerate(rows)},
        total_published=total_published,
    )
    return [(label, hidden[str(index)]) for index, (label, _value) in enumerate(rows)]


def shown_years(yearly: Sequence[YearFunnel], *, suppress: bool) -> list[ShownYear]:
    """Each year's four figures, each hidden when small: they measure different things (no
    sum of them is published), so no secondary suppression is needed."""
    shown = []
    for row in yearly:
        counts = (row.requests, row.verified, row.supported, row.relocated)
        values = [value for _label, value in shown_rows(_unlabelled(counts), suppress=suppress)]
        shown.append(ShownYear(row.year, *values))
    return shown


def shown_safety(safety: SafetyTimes, *, suppress: bool) -> ShownSafety:
    """The distribution sums to the people arrived in the year, a figure on the same page: a
    lone hidden bucket would be that figure less the shown ones, so secondary suppression.
    The median of fewer than ``SMALL_CELL`` people describes a handful of them: hidden."""
    people = sum(count for _label, count in safety.distribution)
    distribution = shown_rows(safety.distribution, suppress=suppress, total_published=True)
    if suppress and people < SMALL_CELL:
        return ShownSafety(median_months=None, people=None, distribution=distribution)
    return ShownSafety(safety.median_months, people, distribution)


def shown_goal(goal: GoalProgress, *, suppress: bool) -> ShownGoal:
    """The year's total relocated is shown unless under ``SMALL_CELL`` (with its percent,
    which would give it back); its two parts sum to it, so they are hidden together."""
    if not suppress:
        return ShownGoal(
            goal.year,
            goal.goal,
            goal.relocated,
            goal.from_history,
            goal.from_cases,
            goal.percent,
        )
    relocated = goal.relocated if goal.relocated >= SMALL_CELL else None
    parts = suppress_counts(
        {"history": goal.from_history, "cases": goal.from_cases}, total_published=True
    )
    return ShownGoal(
        year=goal.year,
        goal=goal.goal,
        relocated=relocated,
        from_history=parts["history"] if relocated is not None else None,
        from_cases=parts["cases"] if relocated is not None else None,
        percent=goal.percent if relocated is not None else None,
    )


def _unlabelled(counts: Sequence[int]) -> list[tuple[str, int]]:
    return [(str(index), value) for index, value in enumerate(counts)]
