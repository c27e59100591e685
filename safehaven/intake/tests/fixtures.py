"""Fixtures for tests of help requests (intake, and triage in cases), loaded as a plugin by
the root ``conftest.py``: a clean limiter and stamp memory for each test, a requester whose
status page is open, and referral codes for the partner organisations. The plain helpers they
use are in ``helpers``."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from safehaven.core.public_forms.proof_of_work import SPENT
from safehaven.intake.rate_budgets import LIMITER
from safehaven.intake.referral_codes.actions import do_create_referral_code
from safehaven.intake.tests.helpers import requester_client, submit_request


@pytest.fixture(autouse=True)
def fresh_intake_memory() -> Iterator[None]:
    LIMITER.clear()
    SPENT.clear()
    yield
    LIMITER.clear()
    SPENT.clear()


@pytest.fixture
def requester(world: Any) -> Client:
    """A browser whose status page is open, for a request just sent."""
    return requester_client(submit_request())


@pytest.fixture
def partner_codes(world: Any) -> dict[str, str]:
    """A referral code for each partner organisation."""
    codes = {"partner_a": "TEST-A", "partner_b": "TEST-B"}
    for name, code in codes.items():
        do_create_referral_code(world.teams[name], actor=None, code=code)
    return codes
