"""The waiting term of a case's score: computed when the queue is read, from the month the case
was received, and never stored (SECURITY.md, "What is sealed and what is in clear": a stored
score that moved with time would date what the score hides)."""

from __future__ import annotations

import datetime

from django.db.models import Case as When_
from django.db.models import IntegerField, Q, Value, When
from django.db.models.expressions import Expression

POINTS_PER_MONTH = 5
MAX_WAITING_POINTS = 20


def months_waiting(received_month: datetime.date, today: datetime.date) -> int:
    """Full months between the month received and this one (0 in the month received)."""
    return max(0, (today.year - received_month.year) * 12 + today.month - received_month.month)


def waiting_points(received_month: datetime.date, today: datetime.date) -> int:
    """+5 per full month waiting, at most +20."""
    return min(MAX_WAITING_POINTS, POINTS_PER_MONTH * months_waiting(received_month, today))


def _month_start(today: datetime.date, months_back: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def waiting_points_expression(today: datetime.date, field: str = "received_month") -> Expression:
    """``waiting_points`` in SQL, for sorting by it: one comparison per step, on any database."""
    steps = MAX_WAITING_POINTS // POINTS_PER_MONTH
    whens = [
        When(
            **{f"{field}__gte": _month_start(today, months)}, then=Value(POINTS_PER_MONTH * months)
        )
        for months in range(steps)
    ]
    return When_(*whens, default=Value(MAX_WAITING_POINTS), output_field=IntegerField())


def waiting_steps(today: datetime.date, field: str = "received_month") -> list[tuple[int, Q]]:
    """Each value the waiting term takes today, with the condition on ``field`` that gives it:
    the queue counts and fetches cases step by step through an index instead of computing the
    term for every case."""
    steps = []
    for months in range(MAX_WAITING_POINTS // POINTS_PER_MONTH + 1):
        condition = Q()
        if months < MAX_WAITING_POINTS // POINTS_PER_MONTH:
            condition &= Q(**{f"{field}__gte": _month_start(today, months)})
        if months > 0:
            condition &= Q(**{f"{field}__lt": _month_start(today, months - 1)})
        steps.append((POINTS_PER_MONTH * months, condition))
    return steps
