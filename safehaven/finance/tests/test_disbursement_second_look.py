"""A rate is only what an officer typed: a payment in another currency than the grant's waits
for a second finance officer's confirmation (who sees the rate and what it was counted as)
before anything more is paid on the grant; and a confirmed payment is reversed only by an
officer who neither recorded nor confirmed it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.finance.choices import EntryKind
from safehaven.finance.corrections.actions import do_reverse_entry
from safehaven.finance.disbursements.actions import do_confirm_disbursement
from safehaven.finance.ledger.balances import grant_position
from safehaven.finance.models import Disbursement, JournalEntry
from safehaven.finance.tests.grant_view_helpers import (
    browser,
    confirm_url,
    finance_world,
    grant_url,
    page,
    said,
)
from safehaven.finance.tests.helpers import (
    approved_grant,
    donate,
    key_of,
    make_fund,
    officer,
    pay,
    third_officer,
)

pytestmark = pytest.mark.django_db

WAITING = "waits for a second finance officer to confirm it"


@pytest.fixture
def grant(world):
    finance_world(world)
    fund = make_fund(world, "USD")
    donate(fund, "1000", keys=officer())
    return approved_grant(world, fund, "10.00")


def test_it_pays_nothing_more_until_another_officer_confirms_a_conversion(world, grant):
    # A million roubles counted as one cent at a rate typed a million times too low.
    tiny = pay(grant, "1000000", currency_code="RUB", rate="0.000000006", keys=officer())
    assert tiny.amount == Decimal("0.01")

    with pytest.raises(CaseActionRefused, match=WAITING):
        pay(grant, "9.99", keys=officer())
    with pytest.raises(CaseActionRefused, match="another finance officer confirms it"):
        do_confirm_disbursement(tiny, **officer("finance"))
    # A confirmation written into the row, not through the action, counts for nothing.
    Disbursement.objects.filter(pk=tiny.pk).update(
        confirmed_at=timezone.now(), confirmed_by=world.users["finance2"]
    )
    with pytest.raises(CaseActionRefused, match=WAITING):
        pay(grant, "9.99", keys=officer())
    Disbursement.objects.filter(pk=tiny.pk).update(confirmed_at=None, confirmed_by=None)

    do_confirm_disbursement(tiny, **officer("finance2"))
    pay(grant, "9.99", keys=officer())
    assert grant_position(grant).remaining == Decimal("0")


def test_it_lets_payments_in_the_grants_currency_follow_each_other(world, grant):
    pay(grant, "4", keys=officer())
    pay(grant, "6", keys=officer())
    assert grant_position(grant).remaining == Decimal("0")


def test_it_pays_again_once_the_unconfirmed_conversion_is_reversed(world, grant):
    wrong = pay(grant, "500", currency_code="RUB", rate="0.0109", keys=officer())
    entry = JournalEntry.objects.get(kind=EntryKind.DISBURSEMENT, disbursement=wrong)
    do_reverse_entry(entry, **officer())  # unconfirmed: its recorder may correct it
    pay(grant, "10", keys=officer())


def test_it_shows_the_second_officer_the_rate_and_the_button(world, grant):
    tiny = pay(grant, "1000000", currency_code="RUB", rate="0.000000006", keys=officer())
    recorder = page(browser(world, "finance"), grant_url("finance-show-grant", grant))
    assert "Waiting for another finance officer to confirm it and its rate." in recorder
    assert confirm_url(tiny) not in recorder

    second = browser(world, "finance2")
    html = page(second, grant_url("finance-show-grant", grant))
    row = html.split(f'id="disbursement-{tiny.pk}"')[1].split("</tr>")[0]
    assert "1 RUB = 0.000000006 USD" in row
    assert "$0.01" in row
    assert confirm_url(tiny) in row
    response = second.post(confirm_url(tiny))
    assert said(response) == ["Disbursement confirmed."]
    assert Disbursement.objects.get().confirmed_by == world.users["finance2"]


def test_it_reverses_a_confirmed_payment_only_by_a_third_officer(world, grant):
    payment = pay(grant, "10", keys=officer())
    do_confirm_disbursement(payment, **officer("finance2"))
    entry = JournalEntry.objects.get(kind=EntryKind.DISBURSEMENT, disbursement=payment)
    for who in ("finance", "finance2"):  # recorded it; confirmed it
        with pytest.raises(CaseActionRefused, match="neither recorded nor confirmed it"):
            do_reverse_entry(entry, **officer(who))
    with pytest.raises(CaseActionRefused, match="more than the approved grant"):
        pay(grant, "10", keys=officer())

    third = third_officer(world)
    do_reverse_entry(entry, actor=third, private_key=key_of("finance3"))
    assert grant_position(grant).remaining == Decimal("10.00")


def test_it_holds_a_confirmation_written_into_the_row_to_the_audit_log(world, grant):
    payment = pay(grant, "10", keys=officer())
    do_confirm_disbursement(payment, **officer("finance2"))
    # A database writer clears the confirmation so that its recorder may reverse it alone.
    Disbursement.objects.filter(pk=payment.pk).update(confirmed_at=None, confirmed_by=None)
    entry = JournalEntry.objects.get(kind=EntryKind.DISBURSEMENT, disbursement=payment)
    with pytest.raises(CaseActionRefused, match="neither recorded nor confirmed it"):
        do_reverse_entry(entry, **officer("finance"))
    with pytest.raises(CaseActionRefused, match="already been confirmed"):
        do_confirm_disbursement(payment, **officer("finance"))
