"""Both factors again (``accounts/reauth.py``): approving or refusing a grant, opening donors'
names and opening payees each need the password *and* the second factor re-checked within the
timeout; either one alone is not enough. A post that comes too late is dropped, never replayed,
and the page it came from asks for what is missing before it shows itself again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safehaven.core.event_types import EventType
from safehaven.finance.choices import GrantCategory, GrantState
from safehaven.finance.disbursements.sealing import PayeeDetails
from safehaven.finance.grants.actions import do_request_grant
from safehaven.finance.models import Grant
from safehaven.finance.tests.funds_helpers import events, fund_url, mark_fresh, officer_client
from safehaven.finance.tests.grant_view_helpers import caseworkers_case, funded, grant_url
from safehaven.finance.tests.helpers import approved_grant, donate, officer, pay
from safehaven.intake.tests.helpers import staff_client_with_keys

pytestmark = pytest.mark.django_db

PASSWORD_AGAIN = "/accounts/reauthenticate/"
CODE_AGAIN = "/accounts/2fa/reauthenticate/"
DONOR = "Sentinel-Donor Ottilie Brask"
PAYEE = "Sentinel-Payee Hallam Vey"
HALF_FRESH = [((), PASSWORD_AGAIN), (("mfa",), PASSWORD_AGAIN), (("password",), CODE_AGAIN)]


def client_with(world, *factors: str):
    client = staff_client_with_keys(world, "finance")
    mark_fresh(client, world.users["finance"], *factors)
    return client


def asked(world, fund) -> Grant:
    return do_request_grant(
        fund,
        category=GrantCategory.AIRFARE,
        amount="300",
        case=caseworkers_case(world),
        actor=world.users["supervisor"],
    )


@pytest.mark.parametrize(("fresh", "asked_for"), HALF_FRESH)
@pytest.mark.parametrize("decision", ["finance-approve-grant", "finance-refuse-grant"])
def test_it_decides_on_a_grant_only_with_both_factors_fresh(world, decision, fresh, asked_for):
    grant = asked(world, funded(world))
    client = client_with(world, *fresh)

    response = client.post(grant_url(decision, grant))

    assert response.status_code == 302
    assert asked_for in response["Location"]
    # Back on the grant's page, which asks for what is still missing before it shows itself.
    assert "reauthenticate%3D1" in response["Location"]
    assert Grant.objects.get().state == GrantState.REQUESTED
    again = client.get(f"{grant_url('finance-show-grant', grant)}?reauthenticate=1")
    assert again.status_code == 302
    assert asked_for in again["Location"]


def test_it_decides_once_both_are_fresh_and_looks_the_grant_up_first(world, staff_client):
    grant = asked(world, funded(world))
    client = client_with(world, "password", "mfa")
    checked = f"{grant_url('finance-show-grant', grant)}?reauthenticate=1"
    assert client.get(checked).status_code == 200
    assert client.post(grant_url("finance-approve-grant", grant)).status_code == 302
    assert Grant.objects.get().state == GrantState.APPROVED
    unknown = reverse("finance-approve-grant", kwargs={"grant_id": 999999})
    stale = staff_client("finance", reauthenticated=False)
    assert stale.post(unknown).status_code == 404


@pytest.mark.parametrize(("fresh", "asked_for"), HALF_FRESH)
def test_it_opens_donors_names_only_with_both_factors_fresh(world, fresh, asked_for):
    client = officer_client(world, fresh=False)
    mark_fresh(client, world.users["finance"], *fresh)
    fund = funded(world, threshold=None)
    donate(fund, "10", donor=DONOR, keys=officer())

    response = client.post(fund_url("finance-list-donations", fund))

    assert response.status_code == 302
    assert asked_for in response["Location"]
    assert DONOR not in response.content.decode()
    assert not events(EventType.DONOR_NAMES_VIEWED)


@pytest.mark.parametrize(("fresh", "asked_for"), HALF_FRESH)
def test_it_opens_payees_only_with_both_factors_fresh(world, fresh, asked_for):
    grant = approved_grant(world, funded(world), "300")
    pay(grant, "100", payee=PayeeDetails(name=PAYEE), keys=officer())

    client = client_with(world, *fresh)
    response = client.get(grant_url("finance-show-payees", grant))

    assert response.status_code == 302
    assert asked_for in response["Location"]
    assert not events(EventType.PAYEE_DETAILS_VIEWED)
    mark_fresh(client, world.users["finance"], "password", "mfa")
    opened = client.get(grant_url("finance-show-payees", grant))
    assert PAYEE in opened.content.decode()
    assert "no-store" in opened["Cache-Control"]
