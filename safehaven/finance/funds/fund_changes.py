"""Change a fund or appeal: its name, target, dates and restriction; never its currency (its
journal is kept in it)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.countries.models import Crisis
from safehaven.finance.choices import GrantCategory
from safehaven.finance.models import Fund
from safehaven.finance.money import MoneyError, amount_in
from safehaven.finance.rules import checked_fund, require_finance_officer
from safehaven.finance.tags import fund_tag
from safehaven.finance.trail import stamp

CHANGEABLE = (
    "name",
    "target",
    "starts_on",
    "ends_on",
    "is_appeal",
    "crisis_id",
    "allowed_categories",
    "allows_partner_grants",
    "allows_overdraft",
)


def do_change_fund(
    fund: Fund,
    *,
    name: str,
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
    """Set the fund's name, target, dates and restriction. The row's tag is checked first, so a
    restriction loosened around the application is never blessed with a fresh tag; tightening
    one affects grants decided from now on. The officer who changes it approves none of the
    grants from it that were asked for before (``rules.refuse_decider_who_changed_the_rules``)."""
    require_finance_officer(actor, fund.organisation)
    name = name.strip()
    if not name:
        raise CaseActionRefused(_("Give the fund a name."))
    if ends_on is not None and ends_on < starts_on:
        raise CaseActionRefused(_("A fund cannot end before it starts."))
    categories = sorted({GrantCategory(category).value for category in allowed_categories})
    try:
        with transaction.atomic():
            locked = checked_fund(
                Fund.objects.select_for_update().select_related("organisation").get(pk=fund.pk)
            )
            try:
                goal = None if target in (None, "") else amount_in(target, locked.currency)
            except MoneyError as error:
                raise CaseActionRefused(str(error)) from None
            before = {field: getattr(locked, field) for field in CHANGEABLE}
            locked.name = name
            locked.target = goal
            locked.starts_on = starts_on
            locked.ends_on = ends_on
            locked.is_appeal = is_appeal
            locked.crisis = crisis
            locked.allowed_categories = categories
            locked.allows_partner_grants = allows_partner_grants
            locked.allows_overdraft = allows_overdraft
            changed = [field for field in CHANGEABLE if getattr(locked, field) != before[field]]
            if not changed:
                return locked
            locked.save()
            recorded = record_event(
                EventType.FUND_CHANGED,
                actor=actor,
                organisation=locked.organisation,
                target=locked,
                detail="changed: " + ", ".join(changed),
            )
            stamp(locked, recorded, fund_tag)
    except IntegrityError:
        raise CaseActionRefused(_("The organisation already has a fund of that name.")) from None
    return locked
