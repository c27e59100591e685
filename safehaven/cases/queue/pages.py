"""Building the case queue: the visible cases filtered, sorted by their score as read today
(the stored score plus the waiting term), one page of them, and the choices of the forms. The
number of queries per page does not grow with the number of cases."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, QuerySet
from django.http import HttpRequest, QueryDict

from safehaven.accounts.access import Perm, has_perm
from safehaven.accounts.models import Membership, Organisation, OrganisationKind, Role, Team, User
from safehaven.cases.models import Case
from safehaven.cases.queue.forms import BulkActionForm, QueueFilterForm
from safehaven.cases.risk.waiting import waiting_points_expression
from safehaven.core.coarse_time import this_hour
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
    if data["partner"] is not None:
        cases = cases.filter(referred_by=data["partner"])
    return cases


def user_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(user=user).values("organisation_id")
    )


def caseworkers_for(user: User) -> QuerySet[User]:
    """Who a bulk assignment may give cases to: caseworkers of the user's organisations with
    keys set up (``do_assign_case`` checks each case's own organisation again)."""
    members = Membership.objects.filter(
        organisation__in=user_organisations(user), role=Role.CASEWORKER
    ).values("user_id")
    return (
        User.objects.filter(pk__in=members, is_active=True, suspended_at__isnull=True)
        .filter(pk__in=UserKeyPair.objects.values("user_id"))
        .order_by("username")
    )


def filter_form(user: User, data: QueryDict) -> QueueFilterForm:
    organisations = user_organisations(user)
    return QueueFilterForm(
        data or None,
        teams=Team.objects.filter(organisation__in=organisations),
        partners=Organisation.objects.filter(kind=OrganisationKind.PARTNER),
    )


def queue_context(
    request: HttpRequest,
    user: User,
    cases: QuerySet[Case],
    *,
    bulk_form: BulkActionForm | None = None,
) -> dict[str, Any]:
    form = filter_form(user, request.GET)
    listed = with_score_today(filter_cases(cases, form), this_hour().date())
    listed = listed.select_related("referred_by", "team").only(*QUEUE_COLUMNS)
    page: Page[Case] = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
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
