"""Helpers for case tests: open a case from a fresh request as triage, the way the queue does."""

from __future__ import annotations

from typing import Any

from safehaven.accounts.models import Membership, Role, User
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.cases.models import Case
from safehaven.cases.opening.actions import do_accept_help_request
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import latest_request, private_key, submit_request
from safehaven.keys.tests.helpers import make_user


def open_case(world: Any, *, reason: str = "Accepted at triage.", **request: Any) -> Case:
    """A case accepted by the triage user from a request sent with ``request``'s fields."""
    submit_request(**request)
    return do_accept_help_request(
        latest_request(),
        reason=reason,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )


def primary_request(case: Case) -> HelpRequest:
    """The request a case was opened from."""
    request = case.people.get(is_primary=True).help_request
    assert request is not None, "this case was not opened from a request"
    return request


def staff_member(world: Any, username: str, role: Role = Role.CASEWORKER) -> User:
    """Another member of the organisation with ``role`` and a key pair, in no team, with the
    seeded users' password (so ``intake.tests.helpers.private_key`` gives its key)."""
    user = make_user(username, password=TEST_PASSWORD)
    Membership.objects.create(user=user, organisation=world.organisation, role=role)
    return user


def bare_case(world: Any, **fields: Any) -> Case:
    """A case row with nothing sealed (no compartment, no person): enough for the queue."""
    import datetime

    from safehaven.cases.choices import CaseOrigin, CaseState
    from safehaven.core.coarse_time import this_hour
    from safehaven.intake.choices import RiskBand

    values: dict[str, Any] = {
        "organisation": world.organisation,
        "origin": CaseOrigin.PHONE_CALL,
        "state": CaseState.RECEIVED,
        "country": "RU",
        "languages": ["ru"],
        "risk_score": 20,
        "risk_band": RiskBand.LOW,
        "received_month": this_hour().date().replace(day=1),
    }
    values.update(fields)
    if isinstance(values["received_month"], int):  # months ago
        today = this_hour().date()
        index = today.year * 12 + today.month - 1 - values["received_month"]
        values["received_month"] = datetime.date(index // 12, index % 12 + 1, 1)
    return Case.objects.create(**values)
