"""Shared helpers for intake tests: a clean limiter and stamp memory, a valid submission."""

from collections.abc import Iterator

import pytest
from django.conf import settings

from safehaven.intake.pow import SPENT, issue_challenge, solve
from safehaven.intake.ratelimit import LIMITER


@pytest.fixture(autouse=True)
def fresh_intake_memory() -> Iterator[None]:
    LIMITER.clear()
    SPENT.clear()
    yield
    LIMITER.clear()
    SPENT.clear()


def valid_post(**overrides: object) -> dict[str, object]:
    """The smallest request a person could send."""
    data: dict[str, object] = {
        "situation": "My family found my messages and told the police.",
        "country": "RU",
        "citizenships": ["RU"],
        "languages": ["ru"],
        "contact_signal": "+7 912 345-67-89",
        "may_leave_message": "no",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def stamp_fields(bits: int | None = None) -> dict[str, str]:
    bits = settings.INTAKE_POW_BITS if bits is None else bits
    challenge = issue_challenge(bits)
    return {"pow_challenge": challenge, "pow_counter": str(solve(challenge, bits))}
