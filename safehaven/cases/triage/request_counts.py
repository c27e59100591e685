"""Figures about help requests, from clear fields only: they still count erased requests."""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from django.db.models import Count

from safehaven.intake.models import HelpRequest


class RequestCount(TypedDict):
    received_month: date
    country: str
    status: str
    count: int


def request_counts() -> list[RequestCount]:
    """How many requests arrived per month, country and status (withdrawn and erased ones
    included: erasing a person's data must not rewrite the organisation's history)."""
    rows = (
        HelpRequest.objects.order_by()
        .values("received_month", "country", "status")
        .annotate(count=Count("pk"))
        .order_by("received_month", "country", "status")
    )
    return [
        RequestCount(
            received_month=row["received_month"],
            country=row["country"],
            status=row["status"],
            count=row["count"],
        )
        for row in rows
    ]
