"""A schema-driven fuzz run (schemathesis) over the partner API, through the WSGI app with a
valid token of partner A: valid and invalid inputs alike, never a 5xx.

``SAFEHAVEN_API_FUZZ_EXAMPLES`` sets how many examples each operation and generation mode
gets (modest by default, so that the run takes about a minute; raise it for a deeper run)."""

import os
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from safehaven.partners.tests.api_helpers import forget_rate_counts, make_token
from safehaven.partners.tests.referral_helpers import refer

EXAMPLES = int(os.environ.get("SAFEHAVEN_API_FUZZ_EXAMPLES", "25"))
SCHEMA_PATH = "/api/partners/v1/openapi.json"


@pytest.fixture
def database_kept_open() -> Any:
    """The WSGI handler closes "old" database connections around each request, which would
    close the test's own (Django's test client stands these signals aside the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def budget_for_every_call(settings: Any, database_kept_open: None) -> None:
    """Enough budget that the rate limit never answers instead of the operation."""
    settings.PARTNER_API_RATE_LIMITS = {
        **settings.PARTNER_API_RATE_LIMITS,
        **{
            bucket: (1_000_000, 60)
            for bucket in ("calls", "imports", "organisation_calls", "organisation_imports")
        },
    }
    forget_rate_counts()


@pytest.fixture
def bearer(world: Any) -> dict[str, str]:
    refer(world)  # so that the list and an id have something to find
    refer(world, "partner_b")
    _token, secret = make_token(world)
    return {"Authorization": f"Bearer {secret}"}


# Loaded when the module is collected: the schema view reads no database.
fuzzed = schemathesis.openapi.from_wsgi(SCHEMA_PATH, WSGIHandler())
fuzzed.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES
)


@pytest.mark.django_db
@fuzzed.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_it_never_answers_a_server_error(case: Any, bearer: dict[str, str]) -> None:
    case.call_and_validate(headers=bearer, checks=[not_a_server_error])
