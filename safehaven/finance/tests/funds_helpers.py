"""Helpers for the funds, donations, budget, statement and export page tests: a finance officer
logged in for real (keys unlocked), fresh re-authentication factors, another organisation with
a fund of its own, and the audit events of a type."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.internal.userkit import user_id_to_str
from django.test import Client
from django.urls import reverse

from safehaven.accounts.models import Membership, Organisation, OrganisationKind, Role
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.finance.funds.actions import do_create_fund
from safehaven.finance.models import Fund
from safehaven.finance.tests.helpers import DAY, finance_team
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.keys.tests.helpers import make_user


def officer_client(world: Any, username: str = "finance", *, fresh: bool = True) -> Client:
    """A finance officer's browser, logged in with password and TOTP, in a world with a
    finance team holding its key; unless ``fresh`` is false, with both factors re-checked just
    now (as opening donors' names needs)."""
    finance_team(world)
    client = staff_client_with_keys(world, username)
    if fresh:
        mark_fresh(client, world.users[username], "password", "mfa")
    return client


def mark_fresh(client: Client, user: Any, *methods: str) -> None:
    """As if the user had just passed allauth's re-authentication with each of ``methods``
    (``password``, ``mfa``)."""
    session = client.session
    session["account_authentication_methods_user"] = user_id_to_str(user)
    records = list(session.get("account_authentication_methods", []))
    records += [
        {"method": method, "at": time.time(), "reauthenticated": True} for method in methods
    ]
    session["account_authentication_methods"] = records
    session.save()


def other_fund(name: str = "Elsewhere fund") -> Fund:
    """A fund of another relocating organisation, made by its own finance officer."""
    organisation = Organisation.objects.create(
        name="Another Haven", kind=OrganisationKind.RELOCATING, country="DE"
    )
    keeper = make_user("other_finance")
    Membership.objects.create(user=keeper, organisation=organisation, role=Role.FINANCE)
    return do_create_fund(organisation, name=name, currency_code="EUR", starts_on=DAY, actor=keeper)


def fund_url(name: str, fund: Fund | int) -> str:
    return reverse(name, kwargs={"fund_id": fund if isinstance(fund, int) else fund.pk})


def events(event_type: EventType) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("pk"))


def page(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()
