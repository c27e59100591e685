"""Finance's grant pages (finance.grants): the queue, a grant's page, approval and refusal from
the deciding officer's own re-authenticated session (the two-person rule from two sessions),
cancellation, and who may open them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from safehaven.accounts.models import Membership, Organisation, OrganisationKind, Role
from safehaven.accounts.tests.duress_logins import DURESS
from safehaven.accounts.tests.duress_logins import log_in as duress_log_in
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.finance.choices import GrantCategory, GrantState
from safehaven.finance.grants.actions import do_request_grant
from safehaven.finance.ledger.balances import fund_balance
from safehaven.finance.models import Grant
from safehaven.finance.tests.grant_view_helpers import (
    browser,
    caseworkers_case,
    funded,
    grant_url,
    page,
    said,
)
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.keys.actions.duress import do_set_duress_password
from safehaven.keys.tests.helpers import make_user

pytestmark = pytest.mark.django_db

QUEUE = "/en/staff/finance/grants/"


def asked(world, fund, amount: str, username: str = "supervisor", **to) -> Grant:
    to = to or {"case": caseworkers_case(world)}
    return do_request_grant(
        fund, category=GrantCategory.AIRFARE, amount=amount, actor=world.users[username], **to
    )


def test_it_queues_the_requests_oldest_first_with_what_finance_needs(world):
    fund = funded(world, name="Airfare fund")
    newer = asked(world, fund, "300")
    older = asked(world, fund, "700")
    Grant.objects.filter(pk=older.pk).update(requested_at=newer.requested_at.replace(year=2020))

    html = page(browser(world, "finance"), QUEUE)

    queue = html.split('id="requested-grants"')[1].split("</section>")[0]
    assert queue.index(f'id="grant-{older.pk}"') < queue.index(f'id="grant-{newer.pk}"')
    older_row = queue.split(f'id="grant-{older.pk}"')[1].split("</tr>")[0]
    for shown in (f"Case #{older.case_id}", "Airfare fund", "Airfare", "$700.00", "supervisor"):
        assert shown in older_row, shown
    assert "Needed if the requester decides" in older_row  # above the 500 USD threshold
    assert "Not needed" in queue.split(f'id="grant-{newer.pk}"')[1].split("</tr>")[0]


def test_it_approves_a_grant_from_the_grant_page_and_shows_the_ledger(world):
    fund = funded(world, "1000")
    grant = asked(world, fund, "300")
    client = browser(world, "finance")
    html = page(client, grant_url("finance-show-grant", grant))
    assert grant_url("finance-approve-grant", grant) in html
    assert 'id="fund-available">$1,000.00' in html

    response = client.post(grant_url("finance-approve-grant", grant))

    assert response.status_code == 302
    assert said(response) == ["Grant approved and posted to the ledger."]
    grant.refresh_from_db()
    assert (grant.state, grant.decided_by) == (GrantState.APPROVED, world.users["finance"])
    html = page(client, grant_url("finance-show-grant", grant))
    assert 'id="grant-remaining">$300.00' in html
    assert 'id="fund-available">$700.00' in html
    assert 'id="fund-committed">$300.00' in html
    assert grant_url("finance-record-disbursement", grant) in html
    assert "Grant approved" in html.split('id="entries"')[1]
    queue = page(client, QUEUE)
    assert f'id="grant-{grant.pk}"' in queue.split('id="approved-grants"')[1]


def test_it_keeps_the_two_person_rule_across_two_sessions(world):
    fund = funded(world, "2000")
    first = browser(world, "finance")
    partner = world.partner_a
    response = first.post(
        reverse("finance-request-partner-grant"),
        {"partner": partner.pk, "fund": fund.pk, "category": "shelter", "amount": "800"},
    )
    assert response.status_code == 302
    grant = Grant.objects.get(partner=partner)
    html = page(first, grant_url("finance-show-grant", grant))
    assert "another finance officer must decide on it" in html
    assert grant_url("finance-approve-grant", grant) not in html

    refused = first.post(grant_url("finance-approve-grant", grant))

    assert "A second finance officer must decide on this grant" in said(refused)[0]
    assert said(refused)[0].startswith("A second finance officer")
    grant.refresh_from_db()
    assert grant.state == GrantState.REQUESTED

    second = browser(world, "finance2")
    html = page(second, grant_url("finance-show-grant", grant))
    assert grant_url("finance-approve-grant", grant) in html
    assert second.post(grant_url("finance-approve-grant", grant)).status_code == 302
    grant.refresh_from_db()
    assert (grant.state, grant.decided_by) == (GrantState.APPROVED, world.users["finance2"])
    event = AuditEvent.objects.get(event_type=EventType.GRANT_APPROVED)
    assert event.actor_id == world.users["finance2"].pk
    assert fund_balance(fund).available == Decimal("1200")


def test_it_lets_the_requester_decide_within_the_threshold(world):
    fund = funded(world, "2000")
    grant = asked(world, fund, "400", username="finance", partner=world.partner_b)
    client = browser(world, "finance")
    assert client.post(grant_url("finance-approve-grant", grant)).status_code == 302
    grant.refresh_from_db()
    assert grant.state == GrantState.APPROVED


def test_it_asks_for_the_password_again_before_a_decision(world, settings):
    fund = funded(world)
    grant = asked(world, fund, "300")
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    client = staff_client_with_keys(world, "finance")
    for action in ("approve", "refuse"):
        response = client.post(grant_url(f"finance-{action}-grant", grant))
        assert response.status_code == 302
        assert "/accounts/reauthenticate/" in response["Location"]
    grant.refresh_from_db()
    assert grant.state == GrantState.REQUESTED


def test_it_refuses_and_cancels_from_the_grant_page(world):
    fund = funded(world, "1000")
    refused = asked(world, fund, "300")
    client = browser(world, "finance")
    response = client.post(grant_url("finance-refuse-grant", refused))
    assert said(response) == ["Grant refused."]
    refused.refresh_from_db()
    assert refused.state == GrantState.REFUSED
    html = page(client, grant_url("finance-show-grant", refused))
    assert grant_url("finance-cancel-grant", refused) not in html
    again = client.post(grant_url("finance-approve-grant", refused))
    assert said(again) == ["This grant has already been decided."]

    approved = asked(world, fund, "250")
    client.post(grant_url("finance-approve-grant", approved))
    assert fund_balance(fund).available == Decimal("750")
    response = client.post(grant_url("finance-cancel-grant", approved))
    assert said(response) == ["Grant cancelled."]
    approved.refresh_from_db()
    assert approved.state == GrantState.CANCELLED
    assert fund_balance(fund).available == Decimal("1000")


def test_it_shows_finance_pages_to_finance_officers_only(world):
    fund = funded(world)
    grant = asked(world, fund, "300")
    urls = [QUEUE, grant_url("finance-show-grant", grant), reverse("finance-request-partner-grant")]
    for username in ("caseworker", "supervisor", "triage", "admin"):
        client = browser(world, username)
        for url in urls:
            assert client.get(url).status_code == 403, (username, url)
        assert client.post(grant_url("finance-approve-grant", grant)).status_code == 403
    grant.refresh_from_db()
    assert grant.state == GrantState.REQUESTED


def test_it_hides_another_organisations_grants(world):
    fund = funded(world)
    grant = asked(world, fund, "300")
    elsewhere = Organisation.objects.create(name="Elsewhere", kind=OrganisationKind.RELOCATING)
    outsider = make_user("outsider", password=TEST_PASSWORD)
    Membership.objects.create(user=outsider, organisation=elsewhere, role=Role.FINANCE)
    secret = generate_totp_secret()
    TOTP.activate(outsider, secret)
    world.users["outsider"] = outsider
    world.totp_secrets["outsider"] = secret
    client = staff_client_with_keys(world, "outsider")

    assert f'id="grant-{grant.pk}"' not in page(client, QUEUE)
    for name in ("finance-show-grant", "finance-approve-grant", "finance-cancel-grant"):
        method = client.get if name == "finance-show-grant" else client.post
        assert method(grant_url(name, grant)).status_code == 404, name
    grant.refresh_from_db()
    assert grant.state == GrantState.REQUESTED


def test_it_shows_nothing_to_a_finance_officer_under_duress(world):
    fund = funded(world)
    grant = asked(world, fund, "300")
    officer = world.users["finance"]
    do_set_duress_password(officer, DURESS, actor=officer)
    client = duress_log_in(world, "finance", DURESS)

    assert f'id="grant-{grant.pk}"' not in page(client, QUEUE)
    assert client.get(grant_url("finance-show-grant", grant)).status_code == 404
    assert client.post(grant_url("finance-approve-grant", grant)).status_code == 404
    assert client.get(grant_url("finance-show-payees", grant)).status_code == 404
    grant.refresh_from_db()
    assert grant.state == GrantState.REQUESTED


def test_it_offers_no_decision_on_a_grant_changed_outside_the_application(world):
    fund = funded(world, "2000")
    grant = asked(world, fund, "800", username="finance", partner=world.partner_a)
    # A database writer makes another officer the requester, so that finance could approve.
    Grant.objects.filter(pk=grant.pk).update(requested_by=world.users["finance2"])
    client = browser(world, "finance")

    html = page(client, grant_url("finance-show-grant", grant))

    assert 'id="grant-tampered"' in html
    assert grant_url("finance-approve-grant", grant) not in html
    refused = client.post(grant_url("finance-approve-grant", grant))
    assert said(refused)[0].startswith("This record does not match its check")
    grant.refresh_from_db()
    assert grant.state == GrantState.REQUESTED
