"""The payment pages of a grant (finance.disbursements): recording one (in the grant's currency
or another, at the rate entered), over-payment refused with the action's message, bad input
kept, confirmation at reconciliation, and the payees opened by finance only, audited."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from safehaven.accounts.models import Role
from safehaven.cases.tests.helpers import staff_member
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.finance.disbursements.sealing import PayeeDetails
from safehaven.finance.grants.actions import do_request_grant
from safehaven.finance.ledger.balances import grant_position
from safehaven.finance.models import Disbursement, Grant
from safehaven.finance.tests.funds_helpers import mark_fresh
from safehaven.finance.tests.grant_view_helpers import (
    browser,
    confirm_url,
    funded,
    grant_url,
    page,
    payment,
    said,
)
from safehaven.finance.tests.helpers import approved_grant, case_of, officer, pay
from safehaven.intake.tests.helpers import staff_client_with_keys

pytestmark = pytest.mark.django_db

PAYEE = "Sentinel-Payee-Orrinwald"
ACCOUNT = "Sentinel-IBAN-DE89370400"
REFERENCE = "Sentinel-Ref-TXN88213"


@pytest.fixture
def grant(world):
    return approved_grant(world, funded(world, "1000"), "300")


def test_it_records_a_payment_and_shows_what_is_left(world, grant):
    client = browser(world, "finance")
    url = grant_url("finance-record-disbursement", grant)
    form = page(client, url)
    assert 'value="USD" selected' in form
    assert "Exchange rate: USD for one unit paid" in form

    response = client.post(
        url, payment(amount="120", payee_name=PAYEE, payee_account=ACCOUNT, reference=REFERENCE)
    )

    assert response.status_code == 302
    assert said(response) == ["Disbursement recorded and posted to the ledger."]
    row = Disbursement.objects.get()
    assert (row.amount_paid, row.currency_paid, row.amount, row.rate) == (
        Decimal("120.00"),
        "USD",
        Decimal("120.00"),
        Decimal("1"),
    )
    assert row.paid_on == datetime.date(2027, 3, 16)
    html = page(client, grant_url("finance-show-grant", grant))
    assert 'id="grant-paid">$120.00' in html
    assert 'id="grant-remaining">$180.00' in html
    assert confirm_url(row) in html
    for secret in (PAYEE, ACCOUNT, REFERENCE):
        assert secret not in html, secret  # only on the payees' page


def test_it_refuses_an_over_payment_with_the_actions_message(world, grant):
    pay(grant, "250", keys=officer())
    client = browser(world, "finance")
    url = grant_url("finance-record-disbursement", grant)

    response = client.post(url, payment(amount="60", payee_name=PAYEE, reference=REFERENCE))

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "This would pay more than the approved grant: 50.00 USD is left to pay, and this "
        "payment is 60.00 USD at the rate entered." in html
    )
    for typed in (PAYEE, REFERENCE, "60"):
        assert f'value="{typed}"' in html, typed
    assert Disbursement.objects.count() == 1


def test_it_records_a_conversion_with_its_rate_and_its_day(world, grant):
    client = browser(world, "finance")
    url = grant_url("finance-record-disbursement", grant)
    posted = payment(amount="10000", currency="RUB", rate="0.0112", rate_on="2027-03-14")

    response = client.post(url, posted)

    assert response.status_code == 302, response.content.decode()[-3000:]
    row = Disbursement.objects.get()
    assert (row.amount_paid, row.currency_paid, row.rate, row.rate_on, row.amount) == (
        Decimal("10000.00"),
        "RUB",
        Decimal("0.0112"),
        datetime.date(2027, 3, 14),
        Decimal("112.00"),
    )
    assert grant_position(grant).remaining == Decimal("188.00")
    html = page(client, grant_url("finance-show-grant", grant))
    line = html.split(f'id="disbursement-{row.pk}"')[1].split("</tr>")[0]
    assert "1 RUB = 0.0112 USD, rate of 14 Mar 2027" in line
    assert "$112.00" in line


def test_it_asks_for_the_rate_and_its_day_and_keeps_what_was_typed(world, grant):
    client = browser(world, "finance")
    url = grant_url("finance-record-disbursement", grant)

    missing = client.post(url, payment(amount="5000", currency="RUB", payee_name=PAYEE))

    html = missing.content.decode()
    assert "Enter the rate used: how many USD for one RUB." in html
    assert "Enter the day of the rate used." in html
    for typed in (PAYEE, "5000"):
        assert f'value="{typed}"' in html, typed
    bad = client.post(url, payment(amount="100.5", currency="JPY", rate="abc", rate_on="14/03"))
    html = bad.content.decode()
    assert "JPY amounts have at most 0 decimals: “100.5” has more." in html
    assert "“abc” is not an amount." in html
    assert "Give the day as YYYY-MM-DD." in html
    own = client.post(url, payment(amount="10", rate="1.1"))
    assert "Leave the rate empty: this payment is in the grant&#x27;s own currency." in (
        own.content.decode()
    )
    assert not Disbursement.objects.exists()


def test_it_confirms_a_payment_at_reconciliation(world, grant):
    row = pay(grant, "100", keys=officer())
    client = browser(world, "finance")

    response = client.post(confirm_url(row))

    assert said(response) == ["Disbursement confirmed."]
    row.refresh_from_db()
    assert row.confirmed_by == world.users["finance"]
    html = page(client, grant_url("finance-show-grant", grant))
    assert "Confirmed by finance" in html.split(f'id="disbursement-{row.pk}"')[1]
    assert said(client.post(confirm_url(row))) == ["This payment has already been confirmed."]


def test_it_opens_the_payees_for_finance_only_and_audits_it(world, grant):
    pay(
        grant,
        "100",
        payee=PayeeDetails(name=PAYEE, account=ACCOUNT),
        reference=REFERENCE,
        keys=officer(),
    )
    payees = grant_url("finance-show-payees", grant)
    html = page(browser(world, "finance2"), payees)
    for secret in (PAYEE, ACCOUNT, REFERENCE):
        assert secret in html, secret
    event = AuditEvent.objects.get(event_type=EventType.PAYEE_DETAILS_VIEWED)
    assert event.actor_id == world.users["finance2"].pk
    assert event.target_ref == str(grant.pk)
    assert event.detail == "1 payments"
    for username in ("caseworker", "supervisor", "triage", "admin"):
        response = browser(world, username).get(payees)
        assert response.status_code == 403, username
        assert PAYEE not in response.content.decode()
    assert AuditEvent.objects.filter(event_type=EventType.PAYEE_DETAILS_VIEWED).count() == 1


def test_it_says_so_when_the_officer_does_not_hold_the_finance_key(world, grant):
    pay(grant, "100", payee=PayeeDetails(name=PAYEE), keys=officer())
    # A finance officer in no finance team: no wrap of its key.
    world.users["finance3"] = staff_member(world, "finance3", Role.FINANCE)
    secret = generate_totp_secret()
    TOTP.activate(world.users["finance3"], secret)
    world.totp_secrets["finance3"] = secret

    client = staff_client_with_keys(world, "finance3")
    mark_fresh(client, world.users["finance3"], "password", "mfa")
    html = page(client, grant_url("finance-show-payees", grant))

    assert "Your key cannot open these payments" in html
    assert PAYEE not in html
    assert not AuditEvent.objects.filter(event_type=EventType.PAYEE_DETAILS_VIEWED).exists()


def test_it_shows_a_forged_payment_as_forged(world, grant):
    row = pay(grant, "100", payee=PayeeDetails(name=PAYEE), keys=officer())
    Disbursement.objects.filter(pk=row.pk).update(method="direct_booking")  # a database writer

    html = page(browser(world, "finance"), grant_url("finance-show-payees", grant))

    assert "Does not match its seal: hidden." in html
    assert PAYEE not in html


def test_it_offers_no_payment_on_a_grant_not_approved(world):
    fund = funded(world)
    grant = do_request_grant(
        fund, category="airfare", amount="100", case=case_of(world), actor=world.users["finance"]
    )
    client = browser(world, "finance")
    assert grant_url("finance-record-disbursement", grant) not in page(
        client, grant_url("finance-show-grant", grant)
    )
    response = client.post(grant_url("finance-record-disbursement", grant), payment(amount="10"))
    assert "Only an approved grant can be paid." in response.content.decode()
    assert not Disbursement.objects.exists()


def test_it_opens_no_payee_of_a_grant_changed_outside_the_application(world, grant):
    pay(grant, "100", payee=PayeeDetails(name=PAYEE), keys=officer())
    Grant.objects.filter(pk=grant.pk).update(amount=Decimal("9000"))  # a database writer

    html = page(browser(world, "finance"), grant_url("finance-show-payees", grant))

    assert "This record does not match its check" in html
    assert PAYEE not in html
    assert not AuditEvent.objects.filter(event_type=EventType.PAYEE_DETAILS_VIEWED).exists()
