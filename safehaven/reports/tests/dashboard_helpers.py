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
# How a reader without case access sees a count under 5 (reports.suppression.SMALL_CELL).
FEWER = "fewer than 5"
MARCH_2019 = datetime.date(2019, 3, 1)


def row(label: str, value: int | str) -> str:
    """A row of a chart's table view (or of the funnel table) as the page renders it."""
    return f'<th scope="row">{label}</th><td>{value}</td>'


def section(page: str, element_id: str) -> str:
    """The page from the element with ``element_id`` to the end of its section."""
    return page.split(f'id="{element_id}"', 1)[1].split("</section>", 1)[0]


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


def funnel_2019(world: Any) -> None:
    """Hand-counted: in 2019, 4 requests, 5 people verified (2 + 3), 2 supported, none
    arrived; the household of 2 arrived in January 2020."""
    add_case(
        world,
        received=MARCH_2019,
        verified=datetime.date(2019, 5, 1),
        supported=datetime.date(2019, 6, 1),
        arrived=datetime.date(2020, 1, 1),
        people=2,
        state=CaseState.ARRIVED,
    )
    add_case(
        world,
        received=datetime.date(2019, 11, 1),
        verified=datetime.date(2019, 12, 1),
        people=3,
        country="KG",
        state=CaseState.VERIFIED,
    )
    add_requests(4, received=MARCH_2019)
