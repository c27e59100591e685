"""What the figures are counted from: the figures rows of some organisations and the help
requests, narrowed by filters, and a range of months."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import F, QuerySet

from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.cases.choices import CaseOutcome
from safehaven.intake.models import HelpRequest
from safehaven.reports.figures import history
from safehaven.reports.figures.filters import FigureFilters
from safehaven.reports.figures.months import first_of_month, year_span
from safehaven.reports.models import CaseFigures


def relocating_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.RELOCATING).order_by("pk")


def case_figures(
    organisations: Iterable[Organisation], filters: FigureFilters, *, whole_table: bool = True
) -> QuerySet[CaseFigures]:
    """The counted figures rows of ``organisations`` narrowed by ``filters``.

    ``whole_table``: the figures of years are read, which is most of the table, so the
    organisation is compared as an expression the (organisation, month) indexes cannot serve:
    read through one, each row costs a random lookup, twice as slow as reading the table in
    order (SQLite picks the index, knowing nothing of how many rows it holds)."""
    ids = history.organisation_ids(organisations)
    rows: QuerySet[CaseFigures]
    if whole_table:
        rows = CaseFigures.objects.alias(of=F("organisation_id") + 0).filter(of__in=ids)
    else:
        rows = CaseFigures.objects.filter(organisation_id__in=ids)
    rows = rows.exclude(outcome=CaseOutcome.MERGED)
    if filters.country:
        rows = rows.filter(country=filters.country)
    if filters.destination:
        rows = rows.filter(destination=filters.destination)
    if filters.pathway:
        rows = rows.filter(pathway=filters.pathway)
    if filters.partner_id is not None:
        rows = rows.filter(partner_id=filters.partner_id)
    if filters.crisis_id is not None:
        rows = rows.filter(crisis_id=filters.crisis_id)
    return rows


def requests_of(filters: FigureFilters) -> QuerySet[HelpRequest]:
    rows = HelpRequest.objects.all()
    if filters.country:
        rows = rows.filter(country=filters.country)
    if filters.partner_id is not None:
        rows = rows.filter(referred_by_id=filters.partner_id)
    if filters.crisis_id is not None:
        rows = rows.filter(crisis_id=filters.crisis_id)
    return rows


def in_months(
    rows: QuerySet[Any], column: str, years: range, as_of: datetime.date | None
) -> QuerySet[Any]:
    first, last = year_span(years)
    if as_of is not None:
        last = min(last, first_of_month(as_of))
    return rows.filter(**{f"{column}__gte": first, f"{column}__lte": last})
