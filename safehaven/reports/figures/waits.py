"""How long people wait: time to safety (from the request to the arrival) and the age of the
backlog (requests and cases still waiting). Counted in whole months between first days."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from safehaven.accounts.models import Organisation
from safehaven.cases.choices import CaseState
from safehaven.intake.choices import RequestStatus
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.figures.months import first_of_month, months_between
from safehaven.reports.figures.sources import case_figures, in_months, requests_of

# A case still waiting to be safe: received, in the work, on hold or out of contact. Arrived
# cases are safe; declined, referred, withdrawn and closed ones have left the work.
WAITING_STATES = (
    CaseState.RECEIVED,
    CaseState.SCREENING,
    CaseState.VERIFICATION,
    CaseState.VERIFIED,
    CaseState.PLANNING,
    CaseState.TRAVEL_BOOKED,
    CaseState.IN_TRANSIT,
    CaseState.WAITLISTED,
    CaseState.LOST_CONTACT,
)
# A request triage has not yet decided on (once a case takes it, the case counts instead).
WAITING_REQUEST_STATUSES = (
    RequestStatus.RECEIVED,
    RequestStatus.REVIEWING,
    RequestStatus.WILL_CONTACT,
)


@dataclass(frozen=True)
class SafetyTimes:
    median_months: float | None
    distribution: list[tuple[str, int]]


# Time from the request to the arrival, in whole months (the months of each, counted apart).
SAFETY_BUCKETS = ((0, 2), (3, 5), (6, 11), (12, 23), (24, None))


def _safety_label(low: int, high: int | None) -> str:
    if low == 0:
        return _("Under 3 months")
    if high is None:
        return _("2 years or more")
    if low == 12:
        return _("1 to 2 years")
    return _("%(low)s to %(high)s months") % {"low": low, "high": high}


def _weighted_median(counts: dict[int, int]) -> float | None:
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items())

    def at(position: int) -> int:
        seen = 0
        for value, people in ordered:
            seen += people
            if position < seen:
                return value
        return ordered[-1][0]

    middle = total // 2
    if total % 2:
        return float(at(middle))
    return (at(middle - 1) + at(middle)) / 2


def time_to_safety(
    organisations: Iterable[Organisation], filters: FigureFilters, years: range
) -> SafetyTimes:
    """People who arrived in ``years``, by months from their request's month to their arrival's
    month: the median and the distribution."""
    if not years:
        return SafetyTimes(median_months=None, distribution=[])
    rows = in_months(case_figures(organisations, filters), "arrived_month", years, None)
    # By the pair of months, not by a difference computed in the database: SQLite computes
    # dates' parts in Python, once a row; the pairs are a few thousand at most.
    pairs = (
        rows.order_by()
        .values("received_month", "arrived_month")
        .annotate(n=Sum("people"))
        .values_list("received_month", "arrived_month", "n")
    )
    counts: dict[int, int] = {}
    for received, arrived, people in pairs:
        wait = max(0, months_between(received, arrived))
        counts[wait] = counts.get(wait, 0) + int(people or 0)
    distribution = []
    for low, high in SAFETY_BUCKETS:
        people = sum(
            n for wait, n in counts.items() if wait >= low and (high is None or wait <= high)
        )
        distribution.append((_safety_label(low, high), people))
    return SafetyTimes(median_months=_weighted_median(counts), distribution=distribution)


# How long open requests and cases have waited since received, in whole months.
BACKLOG_BUCKETS = ((0, 0), (1, 2), (3, 5), (6, 11), (12, None))


def _backlog_label(low: int, high: int | None) -> str:
    if high == 0:
        return _("Under 1 month")
    if high is None:
        return _("1 year or more")
    return _("%(low)s to %(high)s months") % {"low": low, "high": high}


def backlog_age(
    organisations: Iterable[Organisation], filters: FigureFilters, today: datetime.date
) -> list[tuple[str, int]]:
    """Requests triage has not decided on and cases not yet safe, by how long since they were
    received (requests have no destination or pathway: narrowed by one, cases only)."""
    month = first_of_month(today)
    by_month: dict[datetime.date, int] = {}
    cases = case_figures(organisations, filters).filter(state__in=WAITING_STATES)
    rows = cases.order_by().values("received_month").annotate(n=Count("pk"))
    for received, n in rows.values_list("received_month", "n"):
        by_month[received] = by_month.get(received, 0) + n
    if not filters.narrows_to_cases:
        requests = requests_of(filters).filter(
            status__in=WAITING_REQUEST_STATUSES,
            case_person__isnull=True,
            withdrawn_at__isnull=True,
            shredded_at__isnull=True,
        )
        waiting = requests.order_by().values("received_month").annotate(n=Count("pk"))
        for received, n in waiting.values_list("received_month", "n"):
            by_month[received] = by_month.get(received, 0) + n
    ages = [(max(0, months_between(received, month)), n) for received, n in by_month.items()]
    return [
        (
            _backlog_label(low, high),
            sum(n for age, n in ages if age >= low and (high is None or age <= high)),
        )
        for low, high in BACKLOG_BUCKETS
    ]
