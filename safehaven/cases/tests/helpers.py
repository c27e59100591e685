"""Helpers for case tests: open a case from a fresh request as triage, the way the queue does."""

from __future__ import annotations

from typing import Any

from safehaven.cases.models import Case
from safehaven.cases.opening.actions import do_accept_help_request
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import latest_request, private_key, submit_request


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
