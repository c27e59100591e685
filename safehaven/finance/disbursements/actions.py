"""Record a payment under an approved grant, and confirm it at reconciliation.

Over-payment is judged at the payment's own recorded rate: the amount paid times the rate
entered (units of the grant's currency per unit paid), rounded half to even to the grant
currency's minor unit, must not exceed what the ledger says is left to pay on the grant
(``GrantPosition.remaining``, net of earlier payments and reversals). The payee's details and
the reference are sealed for finance only (``finance/records.py``).

A rate is whatever the officer types (the app reaches no rate service), so a payment in
another currency than the grant's is only counted once a second finance officer, not the one
who recorded it, has confirmed it at reconciliation, seeing the amount paid, the rate and what
it was counted as: until then no further payment is recorded on that grant. Bounds on the rate
would not do (a rate a million times off still fits any sane bound); the second officer is the
control. Only finance officers holding the finance team's key record or confirm a payment.
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
from safehaven.finance.ledger.balances import check_entries, grant_position, live_entry
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
from safehaven.finance.records import (
    open_or_make_grant_payments,
    refuse_unless_finance_key_holder,
)
from safehaven.finance.rules import checked_grant, require_finance_officer
from safehaven.finance.trail import confirmers, posted_detail

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


def unconfirmed_conversions(grant: Grant) -> list[Disbursement]:
    """The grant's payments in another currency than its own that stand (not reversed) and
    that no finance officer has confirmed (by the audit log)."""
    foreign = [
        payment
        for payment in Disbursement.objects.filter(grant=grant).exclude(
            currency_paid=grant.currency
        )
        if live_entry(EntryKind.DISBURSEMENT, disbursement=payment) is not None
    ]
    confirmed = confirmers(payment.pk for payment in foreign)
    return [payment for payment in foreign if payment.pk not in confirmed]


def _refuse_while_conversion_unconfirmed(grant: Grant) -> None:
    if unconfirmed_conversions(grant):
        raise CaseActionRefused(
            _(
                "A payment on this grant in another currency waits for a second finance officer "
                "to confirm it (and its rate): nothing more is paid on the grant until then."
            )
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
    more than is left of the grant at the rate entered, or while a payment in another currency
    on it waits for a second officer's confirmation."""
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
        refuse_unless_finance_key_holder(
            grant.fund.organisation, actor=actor, private_key=private_key
        )
        if grant.state != GrantState.APPROVED:
            raise CaseActionRefused(_("Only an approved grant can be paid."))
        try:
            paid, code, rate, rate_on, counted = counted_in_grant_currency(grant, payment, paid_on)
            payee_json = payee_to_json(payee)
        except (MoneyError, ValueError) as error:
            raise CaseActionRefused(str(error)) from None
        _refuse_over_payment(grant, counted)
        _refuse_while_conversion_unconfirmed(grant)
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
            detail=posted_detail([entry.sequence], f"grant #{grant.pk}"),
        )
    return disbursement


def do_confirm_disbursement(
    disbursement: Disbursement, *, actor: User, private_key: bytes | None
) -> Disbursement:
    """Mark a payment confirmed at reconciliation (the statement shows it left). A payment in
    another currency than the grant's is confirmed by a finance officer other than the one
    who recorded it (its entry's, tagged), who sees its rate and what it was counted as."""
    with transaction.atomic():
        locked = (
            Disbursement.objects.select_for_update(of=("self",))
            .select_related("grant", "grant__fund", "grant__fund__organisation")
            .get(pk=disbursement.pk)
        )
        organisation = locked.grant.fund.organisation
        require_finance_officer(actor, organisation)
        refuse_unless_finance_key_holder(organisation, actor=actor, private_key=private_key)
        if locked.confirmed_at is not None or confirmers([locked.pk]):
            raise CaseActionRefused(_("This payment has already been confirmed."))
        entry = live_entry(EntryKind.DISBURSEMENT, disbursement=locked)
        if entry is None:
            raise CaseActionRefused(_("This payment was reversed: it cannot be confirmed."))
        check_entries([entry])
        if locked.currency_paid != locked.grant.currency and entry.posted_by_id == actor.pk:
            raise CaseActionRefused(
                _(
                    "You recorded this payment in another currency than the grant's: another "
                    "finance officer confirms it, and its rate."
                )
            )
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
