"""Payments: recorded under an approved grant with the rate used, never beyond the grant at
that rate, payee and reference sealed for finance only, confirmed at reconciliation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from safehaven.cases.choices import CompartmentKind
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import CaseCompartment
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.finance.choices import GrantCategory
from safehaven.finance.disbursements.actions import do_confirm_disbursement
from safehaven.finance.disbursements.sealing import PayeeDetails, payee_from_json
from safehaven.finance.grants.actions import do_approve_grant, do_request_grant
from safehaven.finance.ledger.balances import fund_balance, grant_position
from safehaven.finance.models import Disbursement, FinanceRecords
from safehaven.finance.records import open_grant_payments
from safehaven.finance.tests.helpers import (
    approved_grant,
    donate,
    finance_team,
    key_of,
    make_fund,
    officer,
    pay,
)
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.records import open_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(world):
    finance_team(world)
    return officer()


@pytest.fixture
def grant(world, keys):
    fund = make_fund(world, "USD")
    donate(fund, "2000", keys=keys)
    return approved_grant(world, fund, "1000")


def test_it_pays_a_grant_and_moves_the_fund(world, keys, grant):
    payment = pay(grant, "600", payee=PayeeDetails(name="Ana", account="DE89"), keys=keys)
    assert (payment.amount, payment.rate, payment.currency_paid) == (
        Decimal("600"),
        Decimal(1),
        "USD",
    )
    balance = fund_balance(grant.fund)
    assert (balance.cash, balance.committed, balance.available, balance.disbursed) == (
        Decimal("1400"),
        Decimal("400"),
        Decimal("1000"),
        Decimal("600"),
    )
    assert grant_position(grant).remaining == Decimal("400")
    event = AuditEvent.objects.get(event_type=EventType.DISBURSEMENT_RECORDED)
    assert event.target_ref == str(payment.pk)
    assert "600" not in event.detail


def test_it_records_a_conversion_with_its_rate_and_date(world, keys, grant):
    payment = pay(grant, "500", currency_code="EUR", rate="1.0850", keys=keys)
    payment.refresh_from_db()
    assert payment.amount_paid == Decimal("500")
    assert payment.currency_paid == "EUR"
    assert payment.rate == Decimal("1.085")
    assert payment.rate_on is not None
    assert payment.amount == Decimal("542.50")  # in the grant's currency, at that rate
    assert grant_position(grant).remaining == Decimal("457.50")


def test_it_refuses_a_payment_in_another_currency_without_its_rate(world, keys, grant):
    with pytest.raises(CaseActionRefused, match="needs the rate used and its date"):
        pay(grant, "5", currency_code="EUR", keys=keys)


def test_it_refuses_to_pay_more_than_the_grant_at_the_recorded_rate(world, keys, grant):
    pay(grant, "900", keys=keys)
    # 92.17 EUR at 1.085 is 100.00 USD: fits exactly; a cent more does not.
    with pytest.raises(CaseActionRefused, match=r"pay more than the approved grant: 100\.00 USD"):
        pay(grant, "92.18", currency_code="EUR", rate="1.085", keys=keys)
    pay(grant, "92.17", currency_code="EUR", rate="1.085", keys=keys)
    assert grant_position(grant).remaining == 0
    with pytest.raises(CaseActionRefused, match=r"0\.00 USD is left"):
        pay(grant, "0.01", keys=keys)


def test_it_refuses_to_pay_a_grant_not_approved(world, keys):
    fund = make_fund(world, "USD")
    donate(fund, "100", keys=keys)
    from safehaven.finance.tests.helpers import case_of

    grant = do_request_grant(
        fund,
        category=GrantCategory.AIRFARE,
        amount="10",
        case=case_of(world),
        actor=world.users["supervisor"],
    )
    with pytest.raises(CaseActionRefused, match="Only an approved grant"):
        pay(grant, "10", keys=keys)
    do_approve_grant(grant, **officer("finance"))
    pay(grant, "10", keys=keys)


def test_it_refuses_anyone_but_a_finance_officer(world, keys, grant):
    for username in ("supervisor", "caseworker", "admin"):
        with pytest.raises(CaseActionRefused, match="Only a finance officer"):
            pay(grant, "1", keys={"actor": world.users[username], "private_key": key_of(username)})
    assert not Disbursement.objects.exists()


def test_it_seals_the_payee_in_the_case_payments_for_finance_only(world, keys, grant):
    payment = pay(
        grant, "1", payee=PayeeDetails(name="Ana", account="DE89"), reference="R-1", keys=keys
    )
    compartment = CaseCompartment.objects.get(case=grant.case, kind=CompartmentKind.PAYMENTS)
    assert payment.record_id == compartment.record_id
    for username in ("finance", "finance2"):
        opened = open_grant_payments(
            grant, actor=world.users[username], private_key=key_of(username)
        )
        assert opened is not None
        row = Disbursement.objects.get(pk=payment.pk).open_with(opened)
        assert payee_from_json(row.sealed("payee") or "") == PayeeDetails(
            name="Ana", account="DE89"
        )
        assert row.sealed("reference") == "R-1"
    for username in ("caseworker", "supervisor", "triage", "admin"):
        with pytest.raises(RecordUnavailable):
            open_record(payment.record_id, user=world.users[username], private_key=key_of(username))


def test_it_seals_a_partner_payee_in_the_finance_records(world, keys):
    fund = make_fund(world, "USD")
    donate(fund, "100", keys=keys)
    grant = do_request_grant(
        fund,
        category=GrantCategory.SHELTER,
        amount="50",
        partner=world.partner_a,
        actor=world.users["finance"],
    )
    do_approve_grant(grant, **officer("finance2"))
    payment = pay(grant, "50", keys=keys)
    assert payment.record_id == FinanceRecords.objects.get().record_id


def test_it_does_not_open_a_payee_a_database_writer_moved(world, keys, grant):
    payment = pay(grant, "1", keys=keys)
    Disbursement.objects.filter(pk=payment.pk).update(amount_paid="2", amount="2")
    opened = open_grant_payments(
        grant, actor=world.users["finance"], private_key=keys["private_key"]
    )
    assert opened is not None
    from safehaven.core.crypto import SealError

    with pytest.raises(SealError):
        Disbursement.objects.get(pk=payment.pk).open_with(opened).sealed("payee")


def test_it_confirms_a_payment_once(world, keys, grant):
    payment = pay(grant, "10", keys=keys)
    do_confirm_disbursement(payment, **officer("finance2"))
    payment.refresh_from_db()
    assert payment.confirmed_by == world.users["finance2"]
    with pytest.raises(CaseActionRefused, match="already been confirmed"):
        do_confirm_disbursement(payment, **officer("finance"))
    with pytest.raises(CaseActionRefused, match="Only a finance officer"):
        do_confirm_disbursement(payment, actor=world.users["supervisor"], private_key=None)
