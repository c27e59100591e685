"""The crisis dashboard's figures: counts only, each one aggregate query whatever the size of
the crisis (the database groups and counts; no request or case row is loaded).

Nothing here reads a sealed column, an id of a request or a case, or anything that names a
person asking for help: risk bands, months, states and counts of the requests and cases tagged
with the crisis, the daily counter ``CrisisInflow``, and the staff (by name) cases are
assigned to, with how many.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext_lazy

from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.models import Case, CaseAssignment
from safehaven.countries.crises.inflow import DAILY_FOR
from safehaven.countries.models import Crisis, CrisisInflow
from safehaven.intake.choices import OPEN_STATUSES, RiskBand
from safehaven.intake.models import HelpRequest

# The days of inflow the dashboard draws: the crisis's last 30 (up to today or its end).
INFLOW_DAYS = 30
# A case still before verification is part of the triage backlog.
BACKLOG_CASE_STATES = (CaseState.RECEIVED, CaseState.SCREENING, CaseState.VERIFICATION)
# A case someone still works on: every state but the exits.
FINISHED_CASE_STATES = (
    CaseState.CLOSED,
    CaseState.DECLINED,
    CaseState.REFERRED_OUT,
    CaseState.WITHDRAWN,
)
# Most at risk first.
BANDS = (RiskBand.CRITICAL, RiskBand.HIGH, RiskBand.MEDIUM, RiskBand.LOW)
# How long a request or case has waited, in whole months since the month it arrived (rows keep
# only their month): (fewest, most or None, label).
WAITING = (
    (0, 0, gettext_lazy("This month")),
    (1, 1, gettext_lazy("1 month")),
    (2, 2, gettext_lazy("2 months")),
    (3, 5, gettext_lazy("3 to 5 months")),
    (6, None, gettext_lazy("6 months or more")),
)


@dataclass(frozen=True)
class CrisisScope:
    """What a reader's dashboard counts: the crisis's requests, its cases in the reader's
    organisations, and its daily counter. ``nothing`` counts nothing (a duress session)."""

    crisis: Crisis
    requests: QuerySet[HelpRequest]
    cases: QuerySet[Case]
    inflow: QuerySet[CrisisInflow]

    @classmethod
    def for_reader(cls, crisis: Crisis, organisation_ids: Sequence[int]) -> CrisisScope:
        return cls(
            crisis=crisis,
            requests=HelpRequest.objects.filter(crisis=crisis),
            cases=Case.objects.filter(
                crisis=crisis, organisation_id__in=organisation_ids, merged_into__isnull=True
            ),
            inflow=CrisisInflow.objects.filter(crisis=crisis),
        )

    @classmethod
    def nothing(cls, crisis: Crisis) -> CrisisScope:
        return cls(
            crisis=crisis,
            requests=HelpRequest.objects.none(),
            cases=Case.objects.none(),
            inflow=CrisisInflow.objects.none(),
        )


@dataclass(frozen=True)
class CrisisSummary:
    crisis: Crisis
    is_open: bool
    requests: int


def crisis_summaries(inflow: QuerySet[CrisisInflow], today: datetime.date) -> list[CrisisSummary]:
    """Every crisis, open ones first (then the latest started), with the requests received in
    it so far (the sum of its daily counter)."""
    totals = dict(
        inflow.values("crisis")
        .annotate(total=Sum("requests"))
        .order_by()
        .values_list("crisis", "total")
    )
    crises = Crisis.objects.prefetch_related("countries", "regions").order_by("-starts_on", "pk")
    summaries = [
        CrisisSummary(crisis, is_open_on(crisis, today), totals.get(crisis.pk) or 0)
        for crisis in crises
    ]
    return sorted(summaries, key=lambda summary: not summary.is_open)


def is_open_on(crisis: Crisis, today: datetime.date) -> bool:
    return crisis.ends_on is None or crisis.ends_on >= today


def inflow_window(crisis: Crisis, today: datetime.date) -> list[datetime.date]:
    """The crisis's last ``INFLOW_DAYS`` days, up to today or the day it ended (none for a
    crisis that has not started), and never days before ``DAILY_FOR``: retention folds those
    into their month's first day, which would read as one day's flood."""
    last = min(today, crisis.ends_on) if crisis.ends_on is not None else today
    first = max(
        crisis.starts_on,
        last - datetime.timedelta(days=INFLOW_DAYS - 1),
        today - DAILY_FOR,
    )
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def inflow_by_day(scope: CrisisScope, today: datetime.date) -> list[tuple[datetime.date, int]]:
    """Requests received per day of the window; a day without any is 0."""
    days = inflow_window(scope.crisis, today)
    if not days:
        return []
    counted = dict(
        scope.inflow.filter(day__range=(days[0], days[-1])).values_list("day", "requests")
    )
    return [(day, counted.get(day, 0)) for day in days]


@dataclass(frozen=True)
class BacklogRow:
    band: str
    counts: list[int]
    total: int


@dataclass(frozen=True)
class BacklogGrid:
    """Waiting requests or cases by risk band (rows) and months waited (columns)."""

    columns: list[str]
    rows: list[BacklogRow]
    column_totals: list[int]
    total: int


def months_waited(received_month: datetime.date, today: datetime.date) -> int:
    return max(0, (today.year - received_month.year) * 12 + today.month - received_month.month)


def waiting_column(months: int) -> int:
    for index, (fewest, most, _label) in enumerate(WAITING):
        if months >= fewest and (most is None or months <= most):
            return index
    raise AssertionError(months)  # WAITING covers every month count


def backlog_grid(
    counted: Iterable[tuple[str, datetime.date, int]], today: datetime.date
) -> BacklogGrid:
    """The grid of ``(risk band, received month, how many)`` rows."""
    cells = {band.value: [0] * len(WAITING) for band in BANDS}
    for band, received_month, count in counted:
        row = cells.setdefault(band, [0] * len(WAITING))
        row[waiting_column(months_waited(received_month, today))] += count
    labels = {band.value: str(band.label) for band in BANDS}
    rows = [
        BacklogRow(labels.get(band, band), counts, sum(counts)) for band, counts in cells.items()
    ]
    column_totals = [sum(row.counts[index] for row in rows) for index in range(len(WAITING))]
    return BacklogGrid(
        columns=[str(label) for _fewest, _most, label in WAITING],
        rows=rows,
        column_totals=column_totals,
        total=sum(column_totals),
    )


def _by_band_and_month(rows: QuerySet) -> list[tuple[str, datetime.date, int]]:
    # order_by() drops the models' default ordering, which would split the groups.
    grouped = rows.values("risk_band", "received_month").annotate(count=Count("pk")).order_by()
    return [(row["risk_band"], row["received_month"], row["count"]) for row in grouped]


def request_backlog(scope: CrisisScope, today: datetime.date) -> BacklogGrid:
    """The crisis's requests still waiting for triage (open statuses, not erased)."""
    waiting = scope.requests.filter(status__in=OPEN_STATUSES, shredded_at__isnull=True)
    return backlog_grid(_by_band_and_month(waiting), today)


def case_backlog(scope: CrisisScope, today: datetime.date) -> BacklogGrid:
    """The crisis's cases not yet past verification."""
    waiting = scope.cases.filter(state__in=BACKLOG_CASE_STATES)
    return backlog_grid(_by_band_and_month(waiting), today)


@dataclass(frozen=True)
class Handler:
    """A member of staff and how many of the crisis's open cases are assigned to them."""

    name: str
    role: str
    cases: int


def open_cases(scope: CrisisScope) -> QuerySet[Case]:
    return scope.cases.exclude(state__in=FINISHED_CASE_STATES)


def handlers(scope: CrisisScope) -> list[Handler]:
    """Who is given the crisis's open cases, most first."""
    assignments = CaseAssignment.objects.filter(case__in=open_cases(scope))
    grouped = (
        assignments.values(
            "user_id", "user__username", "user__first_name", "user__last_name", "role"
        )
        .annotate(cases=Count("case", distinct=True))
        .order_by("-cases", "user__username", "role")
    )
    roles = dict(AssignmentRole.choices)
    return [
        Handler(
            name=staff_name(row["user__first_name"], row["user__last_name"], row["user__username"]),
            role=str(roles.get(row["role"], row["role"])),
            cases=row["cases"],
        )
        for row in grouped
    ]


def staff_name(first: str, last: str, username: str) -> str:
    full = f"{first} {last}".strip()
    return full or username


def unassigned_open_cases(scope: CrisisScope) -> int:
    """Open cases of the crisis no caseworker is given."""
    given = CaseAssignment.objects.filter(role=AssignmentRole.CASEWORKER).values("case_id")
    return open_cases(scope).exclude(pk__in=given).count()


@dataclass(frozen=True)
class PartnerReferrals:
    name: str
    referrals: int


def partner_referrals(scope: CrisisScope) -> list[PartnerReferrals]:
    """The crisis's partner organisations, with how many requests each referred in it."""
    partners = list(scope.crisis.partner_organisations.order_by("name"))
    counted = dict(
        scope.requests.filter(referred_by__in=partners)
        .values("referred_by")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("referred_by", "count")
    )
    return [PartnerReferrals(partner.name, counted.get(partner.pk, 0)) for partner in partners]


@dataclass(frozen=True)
class CrisisDashboard:
    crisis: Crisis
    is_open: bool
    inflow: list[tuple[datetime.date, int]]
    request_backlog: BacklogGrid
    case_backlog: BacklogGrid
    handlers: list[Handler]
    unassigned_cases: int
    partners: list[PartnerReferrals]

    @property
    def inflow_total(self) -> int:
        return sum(count for _day, count in self.inflow)


def crisis_dashboard(scope: CrisisScope, today: datetime.date) -> CrisisDashboard:
    return CrisisDashboard(
        crisis=scope.crisis,
        is_open=is_open_on(scope.crisis, today),
        inflow=inflow_by_day(scope, today),
        request_backlog=request_backlog(scope, today),
        case_backlog=case_backlog(scope, today),
        handlers=handlers(scope),
        unassigned_cases=unassigned_open_cases(scope),
        partners=partner_referrals(scope),
    )
