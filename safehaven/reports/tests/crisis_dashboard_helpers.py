"""Helpers for the crisis dashboard's tests: a crisis, requests and cases tagged with it (as
clear rows, for counting), and its daily counter."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from safehaven.accounts.models import Organisation, User
from safehaven.cases.choices import AssignmentRole, CaseOrigin, CaseState
from safehaven.cases.models import Case, CaseAssignment
from safehaven.countries.models import Country, Crisis, CrisisInflow
from safehaven.intake.choices import RequestStatus, RiskBand
from safehaven.intake.models import HelpRequest

# The day the query tests pretend it is.
TODAY = datetime.date(2027, 3, 16)


def make_crisis(
    admin: User,
    name: str = "Surge",
    *,
    countries: Iterable[str] = ("RU",),
    starts_on: datetime.date = datetime.date(2027, 1, 10),
    ends_on: datetime.date | None = None,
    partners: Iterable[Organisation] = (),
) -> Crisis:
    crisis = Crisis.objects.create(
        name=name, starts_on=starts_on, ends_on=ends_on, created_by=admin
    )
    crisis.countries.set(Country.objects.filter(iso2__in=list(countries)))
    crisis.partner_organisations.set(list(partners))
    return crisis


def tagged_requests(
    crisis: Crisis | None,
    count: int = 1,
    *,
    month: datetime.date,
    band: RiskBand = RiskBand.HIGH,
    status: RequestStatus = RequestStatus.RECEIVED,
    referred_by: Organisation | None = None,
    shredded: bool = False,
) -> list[HelpRequest]:
    """Clear rows only (nothing sealed): what the dashboard counts."""
    rows = [
        HelpRequest(
            country="RU",
            risk_band=band,
            status=status,
            received_month=month,
            consented_on=month,
            crisis=crisis,
            referred_by=referred_by,
            shredded_at=timezone.now() if shredded else None,
        )
        for _ in range(count)
    ]
    return HelpRequest.objects.bulk_create(rows)


def tagged_case(
    crisis: Crisis | None,
    organisation: Organisation,
    *,
    month: datetime.date,
    state: CaseState = CaseState.SCREENING,
    band: RiskBand = RiskBand.HIGH,
    merged_into: Case | None = None,
) -> Case:
    return Case.objects.create(
        organisation=organisation,
        origin=CaseOrigin.PHONE_CALL,
        state=state,
        country="RU",
        risk_band=band,
        received_month=month,
        crisis=crisis,
        merged_into=merged_into,
    )


def assign(case: Case, user: User, role: AssignmentRole = AssignmentRole.CASEWORKER) -> None:
    CaseAssignment.objects.create(case=case, user=user, role=role)


def count_inflow(crisis: Crisis, day: datetime.date, requests: int) -> None:
    CrisisInflow.objects.update_or_create(crisis=crisis, day=day, defaults={"requests": requests})
