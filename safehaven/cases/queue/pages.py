"""Building the case queue: the visible cases filtered, sorted by their score as read today
(the stored score plus the waiting term), one page of them, and the choices of the forms. The
number of queries per page does not grow with the number of cases."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest, QueryDict

from safehaven.accounts.access import Perm, has_perm
from safehaven.accounts.models import Membership, Organisation, OrganisationKind, Role, Team, User
from safehaven.cases.models import Case
from safehaven.cases.queue.forms import BulkActionForm, QueueFilterForm
from safehaven.cases.risk.waiting import (
    waiting_points,
    waiting_points_expression,
    waiting_steps,
)
from safehaven.core.coarse_time import this_hour
from safehaven.countries.models import Crisis
from safehaven.keys.models import UserKeyPair

PAGE_SIZE = 50
# What the queue shows: clear facts only.
QUEUE_COLUMNS = (
    "organisation_id",
    "state",
    "country",
    "languages",
    "risk_score",
    "risk_band",
    "received_month",
    "referred_by__name",
    "team__name",
)


def with_score_today(cases: QuerySet[Case], today: datetime.date) -> QuerySet[Case]:
    """``cases`` annotated with ``waiting`` and ``score_today`` (the stored score plus the
    waiting term, as the case page explains it) and sorted by it, most at risk first, then the
    longest waiting."""
    waiting = waiting_points_expression(today)
    return cases.annotate(waiting=waiting, score_today=F("risk_score") + waiting).order_by(
        "-score_today", "received_month", "pk"
    )


def _levels(cases: QuerySet[Case], today: datetime.date) -> dict[tuple[int, int], int]:
    """How many cases hold each (stored score, waiting term) pair: one grouped query that an
    index answers in its own order (grouping by the term itself in SQL would sort every case
    first), the term then worked out per month in Python."""
    grouped = cases.values("risk_score", "received_month").annotate(count=Count("pk")).order_by()
    levels: dict[tuple[int, int], int] = {}
    for row in grouped:
        pair = (row["risk_score"], waiting_points(row["received_month"], today))
        levels[pair] = levels.get(pair, 0) + row["count"]
    return levels


def queue_page(cases: QuerySet[Case], number: object, today: datetime.date) -> Page[Case]:
    """One page of ``cases`` by today's score in two queries whatever their number: the
    counts per score, then only the cases of the scores the page spans."""
    levels = _levels(cases, today)
    total = sum(levels.values())
    numbers = Paginator(range(total), PAGE_SIZE)
    number = numbers.get_page(number).number  # type: ignore[arg-type]
    first = (number - 1) * PAGE_SIZE
    by_score: dict[int, list[tuple[int, int]]] = {}
    for stored, waiting in levels:
        by_score.setdefault(stored + waiting, []).append((stored, waiting))
    above, seen = 0, 0
    wanted: list[tuple[int, int]] = []
    for score in sorted(by_score, reverse=True):
        count = sum(levels[pair] for pair in by_score[score])
        if seen + count > first and seen < first + PAGE_SIZE:
            if not wanted:
                above = seen
            wanted += by_score[score]
        seen += count
    rows: list[Case] = []
    if wanted:
        steps = dict(waiting_steps(today))
        condition = Q()
        for stored, waiting in wanted:
            condition |= Q(risk_score=stored) & steps[waiting]
        listed = with_score_today(cases.filter(condition), today)
        listed = listed.select_related("referred_by", "team").only(*QUEUE_COLUMNS)
        rows = list(listed[first - above : first - above + PAGE_SIZE])
    return Page(rows, number, numbers)  # type: ignore[arg-type]


def filter_cases(cases: QuerySet[Case], form: QueueFilterForm) -> QuerySet[Case]:
    if not form.is_valid():
        return cases
    data = form.cleaned_data
    if data["country"]:
        cases = cases.filter(country=data["country"])
    if data["language"]:
        if connection.features.supports_json_field_contains:
            cases = cases.filter(languages__contains=[data["language"]])
        else:  # SQLite: the stored JSON text holds each code in quotes
            cases = cases.filter(languages__icontains=f'"{data["language"]}"')
    if data["state"]:
        cases = cases.filter(state=data["state"])
    if data["team"] is not None:
        cases = cases.filter(team=data["team"])
    if data["crisis"] is not None:
        cases = cases.filter(crisis=data["crisis"])
    if data["partner"] is not None:
        cases = cases.filter(referred_by=data["partner"])
    return cases


def user_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(user=user).values("organisation_id")
    )


def caseworkers_for(user: User) -> QuerySet[User]:
    """Who a bulk assignment may give cases to: caseworkers of the user's organisations with
    keys set up, not waiting to choose a new password (``do_assign_case`` checks each case's
    own organisation again)."""
    members = Membership.objects.filter(
        organisation__in=user_organisations(user), role=Role.CASEWORKER
    ).values("user_id")
    return (
        User.objects.filter(
            pk__in=members, is_active=True, suspended_at__isnull=True, must_change_password=False
        )
        .filter(pk__in=UserKeyPair.objects.values("user_id"))
        .order_by("username")
    )


def filter_form(user: User, data: QueryDict) -> QueueFilterForm:
    organisations = user_organisations(user)
    return QueueFilterForm(
        data or None,
        teams=Team.objects.filter(organisation__in=organisations),
        partners=Organisation.objects.filter(kind=OrganisationKind.PARTNER),
        crises=Crisis.objects.order_by("-starts_on", "pk"),
    )


def queue_context(
    request: HttpRequest,
    user: User,
    cases: QuerySet[Case],
    *,
    bulk_form: BulkActionForm | None = None,
) -> dict[str, Any]:
    form = filter_form(user, request.GET)
    page = queue_page(filter_cases(cases, form), request.GET.get("page"), this_hour().date())
    can_manage = has_perm(user, Perm.MANAGE_CASES)
    query = request.GET.copy()
    query.pop("page", None)
    if can_manage and bulk_form is None:
        bulk_form = BulkActionForm(caseworkers=caseworkers_for(user))
    return {
        "page": page,
        "filter_form": form,
        "bulk_form": bulk_form if can_manage else None,
        "can_manage": can_manage,
        "query": query.urlencode(),
        "ticked": set(bulk_form.cleaned_data.get("case_ids", []))
        if bulk_form is not None and hasattr(bulk_form, "cleaned_data")
        else set(),
    }
