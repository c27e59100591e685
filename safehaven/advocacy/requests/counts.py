"""What the advocacy role sees of the cases in a request: numbers only (cases, people, by the
country of origin in clear on each case, and how many people caseworkers named), never a case
id, a name or a link to a case. Reports read the decided figures through ``decided_figures``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Sum

from safehaven.accounts.models import Organisation
from safehaven.advocacy.choices import DECISIONS, AdvocacyStatus
from safehaven.advocacy.models import AdvocacyInclusion, AdvocacyNaming, AdvocacyRequest
from safehaven.intake.submission.place_names import country_choices


@dataclass(frozen=True)
class CountryCount:
    country: str  # ISO 3166-1 alpha-2
    name: str
    cases: int
    people: int


@dataclass(frozen=True)
class RequestCounts:
    cases: int = 0
    people: int = 0
    # People caseworkers named in the annex (clear rows, checked against their seals only when
    # a key holder prints them).
    named: int = 0
    by_country: list[CountryCount] = field(default_factory=list)


def counted_inclusions(advocacy_request: AdvocacyRequest) -> QuerySet[AdvocacyInclusion]:
    """The cases counted in the request now (those taken out are not)."""
    return AdvocacyInclusion.objects.filter(
        advocacy_request=advocacy_request, removed_at__isnull=True
    )


def active_namings(advocacy_request: AdvocacyRequest) -> QuerySet[AdvocacyNaming]:
    return AdvocacyNaming.objects.filter(
        advocacy_request=advocacy_request,
        inclusion__advocacy_request=advocacy_request,
        inclusion__removed_at__isnull=True,
        withdrawn_at__isnull=True,
    )


def request_counts(advocacy_request: AdvocacyRequest) -> RequestCounts:
    """The request's counts, with the people by country of origin (most people first)."""
    names = dict(country_choices())
    rows = (
        counted_inclusions(advocacy_request)
        .values("case__country")
        .annotate(cases=Count("id"), people=Sum("people"))
        .order_by()
    )
    by_country = sorted(
        (
            CountryCount(
                row["case__country"],
                names.get(row["case__country"], row["case__country"]),
                row["cases"],
                row["people"] or 0,
            )
            for row in rows
        ),
        key=lambda item: (-item.people, item.name),
    )
    return RequestCounts(
        cases=sum(item.cases for item in by_country),
        people=sum(item.people for item in by_country),
        named=active_namings(advocacy_request).count(),
        by_country=by_country,
    )


def counts_by_request(requests: Iterable[AdvocacyRequest]) -> dict[int, RequestCounts]:
    """Cases and people of each request, in one query (for the list)."""
    ids = [item.pk for item in requests]
    rows = (
        AdvocacyInclusion.objects.filter(advocacy_request__in=ids, removed_at__isnull=True)
        .values("advocacy_request")
        .annotate(cases=Count("id"), people=Sum("people"))
        .order_by()
    )
    found = {
        row["advocacy_request"]: RequestCounts(row["cases"], row["people"] or 0) for row in rows
    }
    return {pk: found.get(pk, RequestCounts()) for pk in ids}


@dataclass(frozen=True)
class DecidedFigures:
    requests: int
    granted: int
    refused: int
    people_granted: int
    people_refused: int


def decided_figures(
    organisation: Organisation, start: datetime.date, end: datetime.date
) -> DecidedFigures:
    """The requests decided between ``start`` and ``end`` (inclusive), for reports."""
    decided = AdvocacyRequest.objects.filter(
        organisation=organisation,
        status__in=DECISIONS,
        decided_on__gte=start,
        decided_on__lte=end,
    )
    totals = decided.aggregate(granted=Sum("people_granted"), refused=Sum("people_refused"))
    return DecidedFigures(
        requests=decided.count(),
        granted=decided.filter(status=AdvocacyStatus.GRANTED).count(),
        refused=decided.filter(status=AdvocacyStatus.REFUSED).count(),
        people_granted=totals["granted"] or 0,
        people_refused=totals["refused"] or 0,
    )
