"""Shared helpers of the countries tests."""

from __future__ import annotations

import datetime

from safehaven.accounts.models import User
from safehaven.countries.choices import FactKind
from safehaven.countries.country_pages.actions import FactChange, do_change_risk_fact
from safehaven.countries.models import RiskFact


def current_fact(country: str, kind: str = FactKind.CRIMINALISATION) -> RiskFact:
    return RiskFact.objects.get(
        country_id=country, region__isnull=True, kind=kind, valid_to__isnull=True
    )


def decriminalise(country: str, on: datetime.date, actor: User) -> RiskFact:
    return do_change_risk_fact(
        current_fact(country),
        FactChange(
            value="legal",
            for_whom="",
            summary="Struck down by the courts.",
            source="A court ruling",
            source_year=on.year,
            valid_from=on,
        ),
        actor=actor,
    )
