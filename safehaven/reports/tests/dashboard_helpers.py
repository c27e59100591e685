"""Figures for the dashboard's tests: cases and their figures rows inserted directly (the
dashboard reads only the figures, so nothing sealed is needed), and help requests in clear."""

from __future__ import annotations

import datetime
from typing import Any

from safehaven.cases.choices import CaseOrigin, CaseState
from safehaven.cases.models import Case
from safehaven.intake.choices import RiskBand
from safehaven.intake.models import HelpRequest
from safehaven.reports.models import CaseFigures

DASHBOARD_URL = "/en/staff/reports/"


def add_case(
    world: Any,
    *,
    received: datetime.date,
    arrived: datetime.date | None = None,
    verified: datetime.date | None = None,
    supported: datetime.date | None = None,
    country: str = "RU",
    destination: str = "",
    people: int = 1,
    state: str = CaseState.RECEIVED,
    case_id: int | None = None,
) -> CaseFigures:
    """One case of the seeded organisation and its figures row (months are first days)."""
    case = Case.objects.bulk_create(
        [
            Case(
                pk=case_id,
                organisation=world.organisation,
                origin=CaseOrigin.REQUEST,
                state=state,
                country=country,
                risk_band=RiskBand.LOW,
                received_month=received,
            )
        ]
    )[0]
    return CaseFigures.objects.create(
        case_id=case.pk,
        organisation=world.organisation,
        country=country,
        destination=destination,
        received_month=received,
        verified_month=verified,
        supported_month=supported,
        arrived_month=arrived,
        people=people,
        state=state,
    )


def add_requests(count: int, *, received: datetime.date, country: str = "RU") -> None:
    HelpRequest.objects.bulk_create(
        HelpRequest(
            country=country,
            risk_band=RiskBand.LOW,
            received_month=received,
            consented_on=received,
        )
        for _number in range(count)
    )
