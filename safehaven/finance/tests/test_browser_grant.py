"""A grant in the browser (issue 20): a caseworker asks for an airfare grant from the case page,
a finance officer approves it from the queue (giving their password and a code from their
second factor again, in their own session, then approving again) and records its disbursement;
the fund's balance and the case's costs follow."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from allauth.mfa import app_settings as mfa_settings

from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.accounts.tests.test_browser_webauthn import fresh_totp_code, path_of, submit
from safehaven.cases.tests.test_browser_triage import DESK, log_in
from safehaven.finance.choices import GrantState
from safehaven.finance.ledger.balances import fund_balance
from safehaven.finance.models import Disbursement, Grant
from safehaven.finance.tests.grant_view_helpers import caseworkers_case, funded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REAUTHENTICATE_PATH = "/en/accounts/reauthenticate/"
SECOND_FACTOR_AGAIN_PATH = "/en/accounts/2fa/reauthenticate/"
PAYEE = "Sentinel-Browser-Payee Ilvermoor"


def next_totp_code(totp_code, secret: str) -> str:
    """A code of the next TOTP step: the one typed at login is spent (allauth refuses a code
    used once within its step)."""
    period = mfa_settings.TOTP_PERIOD
    time.sleep(period - time.time() % period + 0.1)
    return fresh_totp_code(totp_code, secret)


def text_of(page, selector: str) -> str:
    return page.locator(selector).inner_text()


def ask_for_the_grant(page, base: str, case) -> None:
    """From the case page's costs panel: the airfare, from the only fund that fits."""
    page.goto(f"{base}/en/staff/cases/{case.pk}/")
    panel = page.locator("#case-costs")
    assert "No grant has been asked for this case." in panel.inner_text()
    panel.locator("select[name=fund]").select_option(label="Airfare fund (USD)")
    panel.locator("select[name=category]").select_option("airfare")
    panel.locator("input[name=amount]").fill("450")
    submit(page, panel.get_by_role("button", name="Request the grant").click)
    assert path_of(page) == f"/en/staff/cases/{case.pk}/"
    assert "Grant asked for" in text_of(page, ".messages")
    assert "$450.00" in text_of(page, "#case-costs-requested")


def approve_from_the_queue(page, base: str, grant: Grant, code) -> None:
    page.goto(f"{base}/en/staff/finance/grants/")
    row = page.locator(f"#grant-{grant.pk}")
    assert "$450.00" in row.inner_text()
    assert "caseworker" in row.inner_text()
    submit(page, row.get_by_role("link").click)
    assert text_of(page, "#fund-available") == "$1,000.00"
    submit(page, page.get_by_role("button", name="Approve").click)
    # Their own password and second factor again, in their own session; the post that asked
    # is dropped (never replayed), so they approve again from the grant's page.
    assert path_of(page) == REAUTHENTICATE_PATH
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    submit(page, page.locator("main form button[type=submit]").click)
    assert path_of(page) == SECOND_FACTOR_AGAIN_PATH, text_of(page, "main")
    page.locator("input[name=code]").fill(code())
    submit(page, page.locator("main form button[type=submit]").click)
    assert path_of(page) == f"/en/staff/finance/grants/{grant.pk}/", text_of(page, "main")
    assert text_of(page, "#grant-state") == "Requested"
    submit(page, page.get_by_role("button", name="Approve").click)
    assert path_of(page) == f"/en/staff/finance/grants/{grant.pk}/", text_of(page, "main")
    assert text_of(page, "#grant-state") == "Approved"
    assert text_of(page, "#fund-available") == "$550.00"
    assert text_of(page, "#fund-committed") == "$450.00"


def record_the_disbursement(page) -> None:
    submit(page, page.locator("#record-disbursement").click)
    form = page.locator("#disbursement-form")
    form.locator("select[name=method]").select_option("direct_booking")
    form.locator("input[name=paid_on]").fill("2027-03-16")
    form.locator("input[name=amount]").fill("450")
    form.locator("input[name=payee_name]").fill(PAYEE)
    form.locator("input[name=reference]").fill("TKT-0047711")
    submit(page, form.get_by_role("button", name="Record the disbursement").click)
    assert "Disbursement recorded" in text_of(page, ".messages")
    assert text_of(page, "#grant-paid") == "$450.00"
    assert text_of(page, "#grant-remaining") == "$0.00"
    assert text_of(page, "#fund-cash") == "$550.00"
    assert text_of(page, "#fund-available") == "$550.00"
    assert text_of(page, "#fund-committed") == "$0.00"
    assert PAYEE not in text_of(page, "main")  # on the payees' page only


def test_a_grant_from_request_to_payment(browser_context, live_server, world, totp_code):
    fund = funded(world, "1000", name="Airfare fund", threshold="500")
    case = caseworkers_case(world)
    base = live_server.url
    caseworker = browser_context.new_page()
    caseworker.set_viewport_size(DESK)
    log_in(caseworker, base, world, totp_code, "caseworker")
    ask_for_the_grant(caseworker, base, case)

    # The finance officer, in a browser of their own.
    finance_context = browser_context.browser.new_context(locale="en-GB")
    try:
        finance = finance_context.new_page()
        finance.set_viewport_size(DESK)
        grant = Grant.objects.get(case=case)
        log_in(finance, base, world, totp_code, "finance")
        secret = world.totp_secrets["finance"]
        approve_from_the_queue(finance, base, grant, lambda: next_totp_code(totp_code, secret))
        record_the_disbursement(finance)
    finally:
        finance_context.close()
    grant.refresh_from_db()
    assert (grant.state, grant.decided_by) == (GrantState.APPROVED, world.users["finance"])
    assert Disbursement.objects.get(grant=grant).amount == Decimal("450.00")
    assert fund_balance(fund).cash == Decimal("550.00")

    caseworker.reload()
    assert "$450.00" in text_of(caseworker, "#case-costs-approved")
    assert "$450.00" in text_of(caseworker, "#case-costs-paid")
    assert text_of(caseworker, "#case-costs-requested").endswith("—")
    assert PAYEE not in text_of(caseworker, "main")
