"""The case page's costs panel and the grant request from it (finance.grants): totals only for
those who may open the case, the form for its caseworkers and supervisors with the funds a
grant would fit, bad input and refusals shown with what was typed kept."""

from __future__ import annotations

from decimal import Decimal

import pytest

from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case
from safehaven.countries.models import Crisis
from safehaven.finance.choices import GrantCategory, GrantState
from safehaven.finance.disbursements.sealing import PayeeDetails
from safehaven.finance.grants.actions import do_approve_grant
from safehaven.finance.models import Grant
from safehaven.finance.tests.grant_view_helpers import (
    browser,
    case_grant_url,
    case_page,
    caseworkers_case,
    funded,
    grant_request,
)
from safehaven.finance.tests.helpers import DAY, donate, make_fund, officer, pay

pytestmark = pytest.mark.django_db

DONOR = "Sentinel-Donor-Farrowgate"
PAYEE = "Sentinel-Payee-Quillmoor"
ACCOUNT = "Sentinel-Account-GB29NWBK"


def costs_panel(html: str) -> str:
    return html.split('id="case-costs"')[1].split("</section>")[0]


def test_it_lets_the_caseworker_ask_for_a_grant_from_the_case_page(world):
    fund = funded(world, name="Airfare fund")
    case = caseworkers_case(world)
    client = browser(world, "caseworker")
    panel = costs_panel(case_page(client, case))
    assert "No grant has been asked for this case." in panel
    assert "Airfare fund (USD)" in panel
    assert case_grant_url(case) in panel

    response = client.post(case_grant_url(case), grant_request(fund, "300.50"))

    assert response.status_code == 302
    assert response["Location"].endswith(f"/staff/cases/{case.pk}/")
    grant = Grant.objects.get(case=case)
    assert (grant.state, grant.amount, grant.requested_by) == (
        GrantState.REQUESTED,
        Decimal("300.50"),
        world.users["caseworker"],
    )
    html = case_page(client, case)
    assert "Grant asked for: a finance officer will decide on it." in html
    requested = costs_panel(html).split('id="case-costs-requested"')[1].split("</tr>")[0]
    assert "$300.50" in requested


def test_it_keeps_what_was_typed_and_says_what_is_wrong(world):
    fund = funded(world)
    case = caseworkers_case(world)
    client = browser(world, "caseworker")

    response = client.post(case_grant_url(case), grant_request(fund, "12.345"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "USD amounts have at most 2 decimals: “12.345” has more." in html
    assert 'value="12.345"' in html
    missing = client.post(case_grant_url(case), {"fund": "", "category": "", "amount": ""})
    html = missing.content.decode()
    for message in (
        "Choose the fund to pay from.",
        "Choose what the grant pays for.",
        "Enter the amount.",
    ):
        assert message in html, message
    assert not Grant.objects.exists()


def test_it_shows_the_refusal_of_a_category_the_fund_does_not_pay_for(world):
    fund = funded(world, allowed_categories=[GrantCategory.LEGAL_AID])
    case = caseworkers_case(world)
    client = browser(world, "caseworker")

    response = client.post(case_grant_url(case), grant_request(fund, "80", "airfare"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"The fund “{fund.name}” does not pay for Airfare." in html
    assert 'value="80"' in html
    assert not Grant.objects.exists()


def test_it_offers_only_the_funds_a_grant_to_the_case_would_fit(world):
    crisis = Crisis.objects.create(
        name="Elsewhere response", starts_on=DAY, created_by=world.users["admin"]
    )
    funded(world, name="Crisis appeal", crisis=crisis)
    case = caseworkers_case(world)
    client = browser(world, "caseworker")

    panel = costs_panel(case_page(client, case))

    assert "Crisis appeal" not in panel
    assert "No fund of the organisation can pay for this case" in panel
    alone = client.get(case_grant_url(case)).content.decode()
    assert "No fund of the organisation can pay for this case" in alone
    fits = make_fund(world, "EUR", name="General fund")
    assert f'value="{fits.pk}"' in costs_panel(case_page(client, case))


def test_it_shows_totals_only_never_donors_or_payees(world):
    fund = funded(world, threshold="5000")
    donate(fund, "50", donor=DONOR, keys=officer())
    case = caseworkers_case(world)
    client = browser(world, "caseworker")
    client.post(case_grant_url(case), grant_request(fund, "400"))
    grant = do_approve_grant(Grant.objects.get(), **officer("finance"))
    pay(
        grant,
        "250",
        payee=PayeeDetails(name=PAYEE, account=ACCOUNT),
        reference=PAYEE,
        keys=officer(),
    )

    for username in ("caseworker", "supervisor", "triage"):
        html = case_page(client if username == "caseworker" else browser(world, username), case)
        panel = costs_panel(html)
        assert "$400.00" in panel.split('id="case-costs-approved"')[1].split("</tr>")[0]
        assert "$250.00" in panel.split('id="case-costs-paid"')[1].split("</tr>")[0]
        confirmed = panel.split('id="case-costs-confirmed"')[1].split("</tr>")[0]
        assert "—" in confirmed
        for secret in (DONOR, PAYEE, ACCOUNT):
            assert secret not in html, (username, secret)


def test_it_gives_the_form_only_to_those_who_may_ask_for_this_case(world):
    funded(world)
    case = caseworkers_case(world)
    triage = browser(world, "triage")
    assert "Request a grant" not in costs_panel(case_page(triage, case))
    assert triage.get(case_grant_url(case)).status_code == 403
    # A finance officer asks from finance's pages, not through a case they do not work on.
    assert browser(world, "finance").get(case_grant_url(case)).status_code == 404
    assert "Request a grant" in costs_panel(case_page(browser(world, "supervisor"), case))


def test_it_offers_no_request_on_a_closed_case(world):
    fund = funded(world)
    case = caseworkers_case(world)
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    client = browser(world, "caseworker")
    assert "Request a grant" not in costs_panel(case_page(client, case))
    response = client.post(case_grant_url(case), grant_request(fund))
    assert "This case is closed" in response.content.decode()
    assert not Grant.objects.exists()


def test_it_refuses_a_fund_it_did_not_offer(world):
    crisis = Crisis.objects.create(
        name="Elsewhere response", starts_on=DAY, created_by=world.users["admin"]
    )
    elsewhere = funded(world, name="Crisis appeal", crisis=crisis)
    make_fund(world, "USD", name="General fund")
    case = caseworkers_case(world)
    client = browser(world, "caseworker")
    for fund_id in (elsewhere.pk, 999999):
        posted = grant_request(elsewhere) | {"fund": fund_id}
        response = client.post(case_grant_url(case), posted)
        assert response.status_code == 200
        assert "Choose one of the funds offered." in response.content.decode()
    assert not Grant.objects.exists()
