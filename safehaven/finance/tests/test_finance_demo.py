"""The demo's money: funds, an appeal for the demo crisis, donations (anonymous ones, an
imported file with a gift in pounds), thresholds, budget lines, and grants in every state and
several currencies, all through the real actions; the ledger verifies; only the finance
officer's key opens donors' names; advocacy's step finds the same crisis."""

from decimal import Decimal

import pytest

from safehaven.accounts.demo import demo_password
from safehaven.advocacy.demo import describe_demo_advocacy
from safehaven.cases.demo.steps import describe_demo_cases
from safehaven.core.crypto import unprotect_with_password
from safehaven.core.event_types import EventType
from safehaven.countries.models import Crisis
from safehaven.finance.choices import GrantState
from safehaven.finance.demo import CRISIS, describe_demo_finance
from safehaven.finance.ledger.balances import fund_balance
from safehaven.finance.ledger.verify import verify_ledger
from safehaven.finance.models import BudgetLine, Disbursement, Donation, Fund, Grant
from safehaven.finance.records import open_finance_records
from safehaven.finance.tests.funds_helpers import events
from safehaven.intake.demo import describe_demo_requests
from safehaven.keys.models import UserKeyPair
from safehaven.travel.demo import describe_demo_travel

pytestmark = pytest.mark.django_db

BASE = "http://localhost:8000"


def key_of(username: str):
    pair = UserKeyPair.objects.select_related("user").get(user__username=username)
    return pair.user, unprotect_with_password(
        bytes(pair.protected_private_key), demo_password(username)
    )


def test_it_loads_demo_money_through_the_real_actions(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    describe_demo_requests(BASE)
    describe_demo_cases(BASE)
    describe_demo_travel(BASE)
    text = "\n".join(describe_demo_finance(BASE))
    assert "Finance: funds 1, appeals 1, donations 8" in text
    assert "requested 2, approved 2, refused 1, cancelled 1" in text
    assert "payments 2 (confirmed: 1)" in text
    assert f"{BASE}/en/staff/finance/funds/" in text
    appeal = Fund.objects.get(is_appeal=True)
    assert appeal.crisis is not None
    assert (appeal.name, appeal.currency, appeal.crisis.name) == (
        "Chechnya response",
        "EUR",
        CRISIS,
    )
    assert {grant.currency for grant in Grant.objects.all()} == {"USD", "EUR"}
    assert Disbursement.objects.filter(currency_paid="RUB").exists()
    assert Donation.objects.filter(original_currency="GBP").exists()
    assert Donation.objects.filter(original_currency="CAD").exists()
    assert len(events(EventType.DONATIONS_IMPORTED)) == 1
    assert BudgetLine.objects.count() == 4
    assert verify_ledger() == []
    assert fund_balance(appeal).cash == Decimal("3000") + Decimal("500") + Decimal("136") - 620
    officer, officer_key = key_of("finance")
    organisation = appeal.organisation
    opened = open_finance_records(organisation, actor=officer, private_key=officer_key)
    assert opened is not None
    names = {row.open_with(opened).sealed("donor_name") for row in Donation.objects.all()}
    assert {"", "Ana Demo-Donor", "Sam Demo-Giver"} <= names
    caseworker, caseworker_key = key_of("caseworker")
    assert open_finance_records(organisation, actor=caseworker, private_key=caseworker_key) is None
    assert Grant.objects.filter(state=GrantState.REQUESTED, partner__isnull=False).exists()
    # Run again: nothing is made twice; advocacy's step reuses the crisis recorded here.
    describe_demo_finance(BASE)
    assert Fund.objects.count() == 2
    describe_demo_advocacy(BASE)
    assert Crisis.objects.filter(name=CRISIS).count() == 1
