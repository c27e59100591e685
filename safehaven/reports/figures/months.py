"""Months as reports count them: the first day of a month, and the months a range of years
spans."""

from __future__ import annotations

import datetime


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def year_span(years: range) -> tuple[datetime.date, datetime.date]:
    """The first and the last month of ``years`` (a range of calendar years)."""
    return datetime.date(years[0], 1, 1), datetime.date(years[-1], 12, 1)


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month
