"""Helpers for the figures' tests: figures rows, requests, historical totals and clear case
history inserted directly (``bulk_create``: no receiver runs), for tests that count by hand;
the tests of the whole chain move real cases through the actions instead."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from safehaven.accounts.models import Organisation
from safehaven.cases.choices import CaseOrigin, CaseOutcome, CaseState
from safehaven.cases.models import Case, CasePerson, CaseTransition
from safehaven.finance.choices import GrantCategory, GrantState
from safehaven.finance.models import Fund, Grant
from safehaven.intake.choices import RiskBand
from safehaven.intake.models import HelpRequest
from safehaven.reports.choices import Measure
from safehaven.reports.models import CaseFigures, HistoricalTotal, ReportingSettings
from safehaven.travel.models import CasePathway

UTC = datetime.UTC


def month(year: int, number: int) -> datetime.date:
    return datetime.date(year, number, 1)


def hour(year: int, number: int, day: int, at: int = 12) -> datetime.datetime:
    return datetime.datetime(year, number, day, at, tzinfo=UTC)


def bare_case(
    organisation: Organisation, *, received: datetime.date, country: str = "RU", **fields: Any
) -> Case:
    """A case row with nothing sealed, inserted without the receivers."""
    values: dict[str, Any] = {
        "organisation": organisation,
        "origin": CaseOrigin.REQUEST,
        "state": CaseState.RECEIVED,
        "country": country,
        "risk_band": RiskBand.LOW,
        "received_month": received,
    }
    return Case.objects.bulk_create([Case(**(values | fields))])[0]


def add_figures(
    organisation: Organisation,
    *,
    received: datetime.date,
    people: int = 1,
    state: str = CaseState.RECEIVED,
    outcome: str = "",
    **months_and_dimensions: Any,
) -> CaseFigures:
    """A case and its figures row as given (months are first days)."""
    case = bare_case(organisation, received=received, state=state, outcome=outcome)
    return CaseFigures.objects.create(
        case_id=case.pk,
        organisation=organisation,
        country=months_and_dimensions.pop("country", "RU"),
        received_month=received,
        people=people,
        state=state,
        outcome=outcome,
        **months_and_dimensions,
    )


def relocated(organisation: Organisation, arrived: datetime.date, **fields: Any) -> CaseFigures:
    """A case relocated in ``arrived``'s month, received the month before (or the same)."""
    received = fields.pop("received", arrived)
    return add_figures(
        organisation,
        received=received,
        arrived_month=arrived,
        state=CaseState.CLOSED,
        outcome=CaseOutcome.RELOCATED,
        **fields,
    )


def add_requests(count: int, *, received: datetime.date, **fields: Any) -> None:
    values: dict[str, Any] = {
        "country": "RU",
        "risk_band": RiskBand.LOW,
        "received_month": received,
        "consented_on": received,
    }
    HelpRequest.objects.bulk_create(HelpRequest(**(values | fields)) for _n in range(count))


def add_total(
    world: Any,
    measure: Measure,
    people: int,
    start: datetime.date,
    end: datetime.date,
    **fields: Any,
) -> HistoricalTotal:
    return HistoricalTotal.objects.create(
        organisation=world.organisation,
        measure=measure,
        people=people,
        period_start=start,
        period_end=end,
        entered_by=world.users["admin"],
        **fields,
    )


def set_zone(organisation: Organisation, name: str) -> None:
    ReportingSettings.objects.update_or_create(
        organisation=organisation, defaults={"time_zone": name}
    )


def add_moves(case: Case, *moves: tuple[str, datetime.datetime]) -> None:
    """Clear history rows for ``case`` (nothing sealed: refresh reads only the clear columns)."""
    previous = ""
    rows = []
    for to_state, at in moves:
        rows.append(
            CaseTransition(
                case=case, from_state=previous, to_state=to_state, at=at, record_id=uuid.uuid4()
            )
        )
        previous = to_state
    CaseTransition.objects.bulk_create(rows)


def add_people(case: Case, count: int) -> None:
    CasePerson.objects.bulk_create(
        CasePerson(case=case, record_id=uuid.uuid4(), is_primary=number == 0)
        for number in range(count)
    )


def approved_grant(world: Any, case: Case, decided_at: datetime.datetime) -> Grant:
    fund = Fund.objects.create(
        organisation=world.organisation,
        name=f"Fund {case.pk}",
        currency="EUR",
        starts_on=datetime.date(2000, 1, 1),
        created_by=world.users["admin"],
    )
    return Grant.objects.bulk_create(
        [
            Grant(
                fund=fund,
                case=case,
                category=GrantCategory.AIRFARE,
                amount=Decimal("100.00"),
                currency="EUR",
                state=GrantState.APPROVED,
                requested_by=world.users["admin"],
                decided_at=decided_at,
            )
        ]
    )[0]


def add_pathway(case: Case, kind: str, state: str, started: datetime.date) -> CasePathway:
    row = CasePathway(case=case, kind=kind, state=state, started_on=started, record_id=uuid.uuid4())
    return CasePathway.objects.bulk_create([row])[0]
