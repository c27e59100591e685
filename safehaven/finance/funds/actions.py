"""Create a fund or an appeal; set the organisation's grant threshold and budget lines."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safehaven.accounts.models import Organisation, OrganisationKind, User
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.countries.models import Crisis
from safehaven.finance.choices import GrantCategory
from safehaven.finance.models import BudgetLine, Fund, GrantThreshold
from safehaven.finance.money import MoneyError, amount_in, currency
from safehaven.finance.rules import require_finance_officer
from safehaven.finance.tags import fund_tag, threshold_tag
from safehaven.finance.trail import stamp


def _refused(error: MoneyError) -> CaseActionRefused:
    return CaseActionRefused(str(error))


def do_create_fund(
    organisation: Organisation,
    *,
    name: str,
    currency_code: str,
    starts_on: date,
    ends_on: date | None = None,
    target: Decimal | str | None = None,
    is_appeal: bool = False,
    crisis: Crisis | None = None,
    allowed_categories: Iterable[GrantCategory | str] = (),
    allows_partner_grants: bool = True,
    allows_overdraft: bool = False,
    actor: User,
) -> Fund:
    """A new fund (or crisis appeal) of ``organisation`` kept in one currency, with its
    restriction: a crisis, the grant categories it pays for (none given: all), whether it
    funds partner organisations, whether it may go below zero."""
    require_finance_officer(actor, organisation)
    if organisation.kind != OrganisationKind.RELOCATING:
        raise CaseActionRefused(_("Only the relocating organisation keeps funds."))
    name = name.strip()
    if not name:
        raise CaseActionRefused(_("Give the fund a name."))
    if ends_on is not None and ends_on < starts_on:
        raise CaseActionRefused(_("A fund cannot end before it starts."))
    try:
        code = currency(currency_code).code
        goal = None if target in (None, "") else amount_in(target, code)
    except MoneyError as error:
        raise _refused(error) from None
    categories = sorted({GrantCategory(category).value for category in allowed_categories})
    try:
        with transaction.atomic():
            fund = Fund.objects.create(
                organisation=organisation,
                name=name,
                currency=code,
                target=goal,
                starts_on=starts_on,
                ends_on=ends_on,
                is_appeal=is_appeal,
                crisis=crisis,
                allowed_categories=categories,
                allows_partner_grants=allows_partner_grants,
                allows_overdraft=allows_overdraft,
                created_by=actor,
            )
            created = record_event(
                EventType.FUND_CREATED, actor=actor, organisation=organisation, target=fund
            )
            stamp(fund, created, fund_tag)
    except IntegrityError:
        raise CaseActionRefused(_("The organisation already has a fund of that name.")) from None
    return fund


def do_set_grant_threshold(
    organisation: Organisation, *, currency_code: str, amount: Decimal | str, actor: User
) -> GrantThreshold:
    """Grants in ``currency_code`` above ``amount`` need a second finance officer (in a
    currency with no threshold, every grant does). Applies to grants asked for from now on:
    whether a grant needs a second officer is decided when it is asked for."""
    require_finance_officer(actor, organisation)
    try:
        code = currency(currency_code).code
        limit = amount_in(amount, code, allow_zero=True)
    except MoneyError as error:
        raise _refused(error) from None
    with transaction.atomic():
        threshold, _created = GrantThreshold.objects.select_for_update().get_or_create(
            organisation=organisation,
            currency=code,
            defaults={"second_approval_above": limit, "set_by": actor},
        )
        threshold.second_approval_above = limit
        threshold.set_by = actor
        threshold.save()
        recorded = record_event(
            EventType.GRANT_THRESHOLD_SET,
            actor=actor,
            organisation=organisation,
            target=threshold,
        )
        stamp(threshold, recorded, threshold_tag)
    return threshold


def do_set_budget_line(
    organisation: Organisation,
    *,
    year: int,
    month: int | None,
    category: GrantCategory | str,
    currency_code: str,
    amount: Decimal | str,
    actor: User,
) -> BudgetLine:
    """Plan ``amount`` for ``category`` in ``year`` (or one ``month`` of it); setting the same
    line again replaces its amount."""
    require_finance_officer(actor, organisation)
    if month is not None and not 1 <= month <= 12:
        raise CaseActionRefused(_("A month is a number from 1 to 12."))
    if not 2000 <= year <= 2100:
        raise CaseActionRefused(_("Give a year between 2000 and 2100."))
    try:
        code = currency(currency_code).code
        planned = amount_in(amount, code, allow_zero=True)
    except MoneyError as error:
        raise _refused(error) from None
    with transaction.atomic():
        line, _created = BudgetLine.objects.select_for_update().get_or_create(
            organisation=organisation,
            year=year,
            month=month,
            category=GrantCategory(category),
            currency=code,
            defaults={"amount": planned, "set_by": actor},
        )
        line.amount = planned
        line.set_by = actor
        line.save()
        record_event(EventType.BUDGET_LINE_SET, actor=actor, organisation=organisation, target=line)
    return line
