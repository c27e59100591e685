"""Record a donation: the gift in the fund's currency (converted at the rate entered when it
came in another), its journal entry, and the donor's name sealed for finance only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.finance.ledger.postings import post_donation
from safehaven.finance.models import Donation, Fund
from safehaven.finance.money import (
    MoneyError,
    amount_in,
    converted,
    currency,
    exchange_rate,
    plain,
)
from safehaven.finance.records import open_or_make_finance_records
from safehaven.finance.rules import checked_fund, require_finance_officer
from safehaven.finance.trail import posted_detail

DONOR_NAME_LIMIT = 200


@dataclass(frozen=True)
class Conversion:
    """A gift made in another currency: what the donor gave and the rate entered (units of
    the fund's currency per unit given) with its date."""

    amount: Decimal | str
    currency_code: str
    rate: Decimal | str
    rate_on: date


def _amounts(
    fund: Fund, amount: Decimal | str | None, conversion: Conversion | None
) -> tuple[Decimal, Decimal | None, str, Decimal | None]:
    """(amount in the fund's currency, original amount, original currency, rate)."""
    if conversion is None:
        if amount is None:
            raise CaseActionRefused(_("Give the amount received."))
        return amount_in(amount, fund.currency), None, "", None
    code = currency(conversion.currency_code).code
    if code == fund.currency:
        raise CaseActionRefused(
            _("The gift is in the fund's own currency: enter its amount without a rate.")
        )
    original = amount_in(conversion.amount, code)
    rate = exchange_rate(conversion.rate)
    counted = converted(original, rate, fund.currency)
    if counted <= 0:
        raise CaseActionRefused(_("At this rate the gift is worth nothing in the fund's currency."))
    if amount is not None and amount_in(amount, fund.currency) != counted:
        raise CaseActionRefused(
            _("At the rate entered the gift is %(counted)s %(currency)s, not %(amount)s.")
            % {
                "counted": plain(counted, fund.currency),
                "currency": fund.currency,
                "amount": amount,
            }
        )
    return counted, original, code, rate


def do_record_donation(
    fund: Fund,
    *,
    received_on: date,
    amount: Decimal | str | None = None,
    conversion: Conversion | None = None,
    donor_name: str = "",
    actor: User,
    private_key: bytes,
) -> Donation:
    """Record a gift to ``fund`` received on ``received_on``: ``amount`` in the fund's currency,
    or a ``conversion`` from the currency it was given in. ``donor_name`` is optional ("" for
    an anonymous gift) and sealed under the organisation's finance records."""
    require_finance_officer(actor, fund.organisation)
    checked_fund(fund)
    donor_name = donor_name.strip()
    if len(donor_name) > DONOR_NAME_LIMIT:
        raise CaseActionRefused(_("A donor's name is at most 200 characters."))
    try:
        counted, original, original_code, rate = _amounts(fund, amount, conversion)
    except MoneyError as error:
        raise CaseActionRefused(str(error)) from None
    with transaction.atomic():
        opened = open_or_make_finance_records(
            fund.organisation, actor=actor, private_key=private_key
        )
        donation = Donation(
            record_id=opened.record_id,
            fund=fund,
            amount=counted,
            original_amount=original,
            original_currency=original_code,
            rate=rate,
            rate_on=conversion.rate_on if conversion else None,
            received_on=received_on,
            recorded_by=actor,
        )
        # Always sealed ("" when anonymous): a donation without its seal is forged.
        donation.open_with(opened).seal("donor_name", donor_name)
        donation.save()
        entry = post_donation(donation, actor=actor)
        record_event(
            EventType.DONATION_RECORDED,
            actor=actor,
            organisation=fund.organisation,
            target_type="donation",
            target_ref=str(donation.pk),
            detail=posted_detail([entry.sequence], f"fund #{fund.pk}"),
        )
    return donation
