"""Helpers for the grant and disbursement pages' tests: the finance team with a second officer
who can log in for real (``finance2`` gets a TOTP secret), a funded fund with its threshold,
a case assigned to the seeded caseworker, browsers logged in with their keys unlocked, and the
pages' addresses."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from safehaven.cases.models import Case
from safehaven.finance.funds.actions import do_set_grant_threshold
from safehaven.finance.models import Disbursement, Fund, Grant, JournalEntry
from safehaven.finance.tests.funds_helpers import mark_fresh
from safehaven.finance.tests.helpers import donate, finance_team, make_fund, officer
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.travel.tests.helpers import assigned_case

PAYMENT = {
    "method": "bank_transfer",
    "paid_on": "2027-03-16",
    "amount": "",
    "currency": "USD",
    "rate": "",
    "rate_on": "",
    "payee_name": "",
    "payee_account": "",
    "payee_service": "",
    "payee_note": "",
    "reference": "",
}


def finance_world(world: Any) -> None:
    """The finance team (``finance`` and ``finance2`` hold its key); ``finance2`` can log in."""
    finance_team(world)
    if "finance2" not in world.totp_secrets:
        secret = generate_totp_secret()
        TOTP.activate(world.users["finance2"], secret)
        world.totp_secrets["finance2"] = secret


def funded(
    world: Any,
    amount: str = "1000",
    *,
    currency_code: str = "USD",
    threshold: str | None = "500",
    **fields: Any,
) -> Fund:
    """A fund holding ``amount`` (one donation) and, unless None, the organisation's
    threshold in its currency, set by ``finance2`` (a threshold its requester just set never
    lets ``finance``'s own grant through alone: ``rules.second_officer_needed``)."""
    finance_world(world)
    fund = make_fund(world, currency_code, **fields)
    donate(fund, amount, keys=officer())
    if threshold is not None:
        do_set_grant_threshold(
            world.organisation,
            currency_code=currency_code,
            amount=threshold,
            actor=world.users["finance2"],
        )
    return fund


def caseworkers_case(world: Any) -> Case:
    return assigned_case(world)


def browser(world: Any, username: str) -> Client:
    """Logged in with password and code (the key unlocked), and re-authenticated with both
    factors just now, as a decision on a grant, a donor's name and a payee need."""
    client = staff_client_with_keys(world, username)
    mark_fresh(client, world.users[username], "password", "mfa")
    return client


def said(response: Any) -> list[str]:
    """The last message the response adds (earlier ones wait, unread, in the session)."""
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    return [message for message in shown if not message.startswith("Successfully signed in")][-1:]


def grant_url(name: str, grant: Grant) -> str:
    return reverse(name, kwargs={"grant_id": grant.pk})


def case_grant_url(case: Case) -> str:
    return reverse("finance-request-case-grant", kwargs={"case_id": case.pk})


def confirm_url(disbursement: Disbursement) -> str:
    return reverse("finance-confirm-disbursement", kwargs={"disbursement_id": disbursement.pk})


def entry_url(entry: JournalEntry, name: str = "finance-show-entry") -> str:
    return reverse(name, kwargs={"entry_id": entry.pk})


def case_page(client: Client, case: Case) -> str:
    response = client.get(reverse("cases-show-case", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    return response.content.decode()


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def payment(**fields: str) -> dict[str, str]:
    return PAYMENT | fields


def grant_request(fund: Fund, amount: str = "300", category: str = "airfare") -> dict[str, Any]:
    return {"fund": fund.pk, "category": category, "amount": amount}
