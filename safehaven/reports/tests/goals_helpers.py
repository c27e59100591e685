"""Helpers for the goals tests: a case counted in given months (a clear figures row), the
goals pages' URLs, and the audit events of a type."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from safehaven.cases.choices import CaseState
from safehaven.cases.tests.helpers import bare_case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.reports.models import CaseFigures

GOALS_URL = reverse("reports-list-goals")
NEW_TOTAL_URL = reverse("reports-record-historical-total")
SETTINGS_URL = reverse("reports-change-reporting-settings")


def remove_url(total_id: int) -> str:
    return reverse("reports-remove-historical-total", kwargs={"total_id": total_id})


def counted_case(world: Any, received: datetime.date, **months: datetime.date) -> CaseFigures:
    """A case of the world's organisation counted from ``received`` (and the other months
    given, e.g. ``arrived_month``), as a clear figures row."""
    case = bare_case(world, received_month=received, state=CaseState.ARRIVED)
    figures, _created = CaseFigures.objects.update_or_create(
        case=case,
        defaults={
            "organisation": world.organisation,
            "country": "RU",
            "received_month": received,
            "state": CaseState.ARRIVED,
            "verified_month": None,
            "supported_month": None,
            "arrived_month": None,
            **months,
        },
    )
    return figures


def events(event_type: EventType) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("pk"))
