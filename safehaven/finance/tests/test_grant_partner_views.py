"""Grants to partner organisations from finance's pages (finance.grants): the funds that may
fund partners, the form's bad input, and a partner grant paid, its payee sealed under the
organisation's finance records."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from safehaven.finance.choices import GrantState
from safehaven.finance.models import Disbursement, FinanceRecords, Grant
from safehaven.finance.tests.grant_view_helpers import (
    browser,
    funded,
    grant_url,
    page,
    payment,
)
from safehaven.finance.tests.helpers import make_fund

pytestmark = pytest.mark.django_db

FORM = "/en/staff/finance/grants/partner/"
PAYEE = "Sentinel-Partner-Hollowmere"


def test_it_asks_for_a_partner_grant_from_the_funds_that_may_fund_partners(world):
    fund = funded(world, name="Partners fund")
    make_fund(world, "EUR", name="Cases only", allows_partner_grants=False)
    client = browser(world, "finance")
    form = page(client, FORM)
    assert reverse("finance-request-partner-grant") == FORM
    assert "Partners fund (USD)" in form
    assert "Cases only" not in form
    assert world.partner_a.name in form
    assert world.organisation.name not in form.split('name="partner"')[1].split("</select>")[0]

    response = client.post(
        FORM,
        {"partner": world.partner_a.pk, "fund": fund.pk, "category": "shelter", "amount": "450"},
    )

    grant = Grant.objects.get()
    assert response["Location"] == grant_url("finance-show-grant", grant)
    assert (grant.partner, grant.case, grant.amount, grant.state) == (
        world.partner_a,
        None,
        Decimal("450.00"),
        GrantState.REQUESTED,
    )
    assert f"Partner organisation {world.partner_a.name}" in page(client, response["Location"])


def test_it_keeps_what_was_typed_after_bad_input(world):
    fund = funded(world)
    client = browser(world, "finance")
    response = client.post(
        FORM, {"partner": "", "fund": fund.pk, "category": "shelter", "amount": "ten"}
    )
    html = response.content.decode()
    assert "Choose the partner organisation." in html
    assert "“ten” is not an amount." in html
    assert 'value="ten"' in html
    relocating = client.post(
        FORM,
        {"partner": world.organisation.pk, "fund": fund.pk, "category": "shelter", "amount": "1"},
    )
    assert "Choose one of the partner organisations offered." in relocating.content.decode()
    assert not Grant.objects.exists()


def test_it_says_so_when_no_fund_may_fund_partners(world):
    funded(world, allows_partner_grants=False)
    html = page(browser(world, "finance"), FORM)
    assert "None of your funds may fund partner organisations" in html
    assert 'name="amount"' not in html


def test_it_pays_a_partner_grant_under_the_finance_records(world):
    fund = funded(world, threshold="5000")
    client = browser(world, "finance")
    client.post(
        FORM,
        {"partner": world.partner_b.pk, "fund": fund.pk, "category": "shelter", "amount": "700"},
    )
    grant = Grant.objects.get()
    client.post(grant_url("finance-approve-grant", grant))
    response = client.post(
        grant_url("finance-record-disbursement", grant),
        payment(method="through_partner", amount="700", payee_name=PAYEE),
    )
    assert response.status_code == 302
    row = Disbursement.objects.get()
    assert row.record_id == FinanceRecords.objects.get(organisation=world.organisation).record_id
    assert PAYEE in page(client, grant_url("finance-show-payees", grant))
    assert grant_url("finance-record-disbursement", grant) not in page(
        client, grant_url("finance-show-grant", grant)
    )  # paid in full
