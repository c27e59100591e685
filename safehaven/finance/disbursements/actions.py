"""Record a payment under an approved grant, and confirm it at reconciliation.

Over-payment is judged at the payment's own recorded rate: the amount paid times the rate
entered (units of the grant's currency per unit paid), rounded half to even to the grant
currency's minor unit, must not exceed what the ledger says is left to pay on the grant
(``GrantPosition.remaining``, net of earlier payments and reversals). The payee's details and
the reference are sealed for finance only (``finance/records.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.finance.choices import DisbursementMethod, EntryKind, GrantState
from safehaven.finance.disbursements.sealing import PayeeDetails, payee_to_json
from safehaven.finance.ledger.balances import grant_position, live_entry
from safehaven.finance.ledger.postings import post_disbursement
from safehaven.finance.models import Disbursement, Grant
from safehaven.finance.money import (
    MoneyError,
    amount_in,
    converted,
    currency,
    exchange_rate,
    plain,
)
from safehaven.finance.records import open_or_make_grant_payments
from safehaven.finance.rules import checked_grant, require_finance_officer

REFERENCE_LIMIT = 200


@dataclass(frozen=True)
class Payment:
    """What was paid: the amount and currency that left, and, when that currency is not the
    grant's, the rate entered (units of the grant's currency per unit paid) and its date."""

    amount: Decimal | str
    currency_code: str
    rate: Decimal | str | None = None
    rate_on: date | None = None


def counted_in_grant_currency(
    grant: Grant, payment: Payment, paid_on: date
) -> tuple[Decimal, str, Decimal, date, Decimal]:
    """(amount paid, its currency, rate, rate date, amount in the grant's currency) of
    ``payment``; MoneyError or CaseActionRefused if they cannot be used."""
    code = currency(payment.currency_code).code
    paid = amount_in(payment.amount, code)
    if code == grant.currency:
        if payment.rate not in (None, "") and exchange_rate(payment.rate) != 1:
            raise CaseActionRefused(_("A payment in the grant's own currency has no other rate."))
        return paid, code, Decimal(1), paid_on, paid
    if payment.rate in (None, "") or payment.rate_on is None:
        raise CaseActionRefused(
            _("A payment in another currency than the grant's needs the rate used and its date.")
        )
    rate = exchange_rate(payment.rate)
    counted = converted(paid, rate, grant.currency)
    if counted <= 0:
        raise CaseActionRefused(
            _("At this rate the payment is worth nothing in the grant's currency.")
        )
    return paid, code, rate, payment.rate_on, counted


def _refuse_over_payment(grant: Grant, counted: Decimal) -> None:
    remaining = grant_position(grant).remaining
    if counted > remaining:
        raise CaseActionRefused(
            _(
                "This would pay more than the approved grant: %(left)s %(currency)s is left to "
                "pay, and this payment is %(counted)s %(currency)s at the rate entered."
            )
            % {
                "left": plain(remaining, grant.currency),
                "counted": plain(counted, grant.currency),
                "currency": grant.currency,
            }
        )


def do_record_disbursement(
    grant: Grant,
    *,
    method: DisbursementMethod | str,
    paid_on: date,
    payment: Payment,
    payee: PayeeDetails,
    reference: str,
    actor: User,
    private_key: bytes,
) -> Disbursement:
    """Record a payment under the approved ``grant``; refused, with a message, if it would pay
    more than is left of the grant at the rate entered."""
    method = DisbursementMethod(method)
    reference = reference.strip()
    if len(reference) > REFERENCE_LIMIT:
        raise CaseActionRefused(_("A reference is at most 200 characters."))
    with transaction.atomic():
        grant = checked_grant(
            Grant.objects.select_for_update(of=("self",))
            .select_related("fund", "fund__organisation", "case", "case__organisation")
            .get(pk=grant.pk)
        )
        require_finance_officer(actor, grant.fund.organisation)
        if grant.state != GrantState.APPROVED:
            raise CaseActionRefused(_("Only an approved grant can be paid."))
        try:
            paid, code, rate, rate_on, counted = counted_in_grant_currency(grant, payment, paid_on)
            payee_json = payee_to_json(payee)
        except (MoneyError, ValueError) as error:
            raise CaseActionRefused(str(error)) from None
        _refuse_over_payment(grant, counted)
        opened = open_or_make_grant_payments(grant, actor=actor, private_key=private_key)
        disbursement = Disbursement(
            record_id=opened.record_id,
            grant=grant,
            method=method,
            paid_on=paid_on,
            amount_paid=paid,
            currency_paid=code,
            rate=rate,
            rate_on=rate_on,
            amount=counted,
            recorded_by=actor,
        )
        sealing = disbursement.open_with(opened)
        sealing.seal("payee", payee_json)
        sealing.seal("reference", reference)
        disbursement.save()
        entry = post_disbursement(disbursement, actor=actor)
        record_event(
            EventType.DISBURSEMENT_RECORDED,
            actor=actor,
            organisation=grant.fund.organisation,
            target_type="disbursement",
            target_ref=str(disbursement.pk),
            detail=f"grant #{grant.pk}, entry {entry.sequence}",
        )
    return disbursement


def do_confirm_disbursement(disbursement: Disbursement, *, actor: User) -> Disbursement:
    """Mark a payment confirmed at reconciliation (the statement shows it left)."""
    with transaction.atomic():
        locked = (
            Disbursement.objects.select_for_update(of=("self",))
            .select_related("grant", "grant__fund", "grant__fund__organisation")
            .get(pk=disbursement.pk)
        )
        require_finance_officer(actor, locked.grant.fund.organisation)
        if locked.confirmed_at is not None:
            raise CaseActionRefused(_("This payment has already been confirmed."))
        if live_entry(EntryKind.DISBURSEMENT, disbursement=locked) is None:
            raise CaseActionRefused(_("This payment was reversed: it cannot be confirmed."))
        locked.confirmed_by = actor
        locked.confirmed_at = this_hour()
        locked.save(update_fields=["confirmed_by", "confirmed_at"])
        record_event(
            EventType.DISBURSEMENT_CONFIRMED,
            actor=actor,
            organisation=locked.grant.fund.organisation,
            target_type="disbursement",
            target_ref=str(locked.pk),
            detail=f"grant #{locked.grant_id}",
        )
    return locked
