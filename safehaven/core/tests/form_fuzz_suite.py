"""What the form fuzz modules share (``test_form_fuzz.py``, ``test_form_fuzz_apps.py``: the
forms are split over two modules, so that two test processes share the work): the routes, the
posts always tried, the world built once per module, and one route's fuzzing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import transaction

from safehaven.accounts.tests.test_authorisation_walk import EXPECTATIONS
from safehaven.core.tests.form_fuzz import FoundForm
from safehaven.core.tests.form_fuzz_run import fuzz
from safehaven.core.tests.form_fuzz_values import Submission, nothing_filled
from safehaven.core.tests.form_fuzz_world import FRESH_FOR_SECONDS, FuzzWorld, build_fuzz_world
from safehaven.env import Env

EXAMPLES = Env().int("SAFEHAVEN_FORM_FUZZ_EXAMPLES", default=5, minimum=1)
# Each run posts the same examples; a seed asks for others (a deeper run, by hand).
SEED = Env().int("SAFEHAVEN_FORM_FUZZ_SEED", default=-1, minimum=-1)
UPLOAD_MAX_BYTES = 64 * 1024  # lowered, so that a file over it is cheap to send
PLENTY = (1_000_000, 3600)

# The URL names that take a post, as the authorisation walk declares them; the apps' half is
# fuzzed by test_form_fuzz_apps.py (the same split as CI's PostgreSQL halves).
POST_ROUTES = sorted(name for name, expect in EXPECTATIONS.items() if expect.outcomes_for("POST"))
APPS = ("travel", "finance", "advocacy", "countries", "partners", "reports")
NOT_FUZZED_HERE = {
    "partners-api-referrals": "the partner API: fuzzed by schemathesis (test_api_fuzz.py)",
    "partners-api-import-referrals": "the partner API: fuzzed by schemathesis (test_api_fuzz.py)",
}
# Posts that once answered a 500 or a refusal without a word, tried first on every run with
# the form's hidden fields as shown (the form with nothing filled in is always tried too: an
# empty answer, an empty photo post). Fixed in dc84b6e (ids typed into a request go through
# core/ids.py; the offer tag is compared as bytes) and with the fuzzer's commit (the security
# key forms' JSON field, the messages of the case answer and the queue's bulk form).
HUGE_ID = "99999999999999999999999"  # over 64 bits: SQLite's driver cannot bind it
FIRST_OPTION = "\x00the first option the page offers"
ONCE_FOUND: dict[str, list[dict[str, str]]] = {
    "travel-remove-on-call-shift": [{"shift": "9" * 5000, "tz": "UTC"}, {"shift": "\u00b2"}],
    "intake-choose-codename": [{"offer": "\u00e9", "written_down": "on"}],
    "countries-record-crisis": [{"countries": HUGE_ID, "partner_organisations": HUGE_ID}],
    "countries-change-crisis": [{"regions": HUGE_ID, "partner_organisations": HUGE_ID}],
    "travel-book-route": [{"travellers": HUGE_ID}],
    "cases-list-cases": [{"case": FIRST_OPTION, "reason": "Not ours."}],
    "mfa_add_webauthn": [
        {"name": "Key", "credential": "9" * 5000},
        {"name": "Key", "credential": "[" * 50_000},
    ],
}


def as_shown_with(found: FoundForm, values: dict[str, str]) -> Submission:
    """The form with nothing filled in but its hidden fields (the CSRF token, the codename
    offered), and ``values`` (``FIRST_OPTION``: the first its page offers for that field)."""
    kept = [pair for pair in nothing_filled(found.form).pairs if pair[0].decode() not in values]
    typed = [
        (
            name.encode(),
            (found.form.fields[name].options[0] if value == FIRST_OPTION else value).encode(),
        )
        for name, value in values.items()
    ]
    return Submission(kept + typed, None)


def fuzzed_routes(*, apps: bool) -> list[str]:
    """The routes of one half."""
    return [
        route
        for route in POST_ROUTES
        if route not in NOT_FUZZED_HERE and route.startswith(APPS) == apps
    ]


def world_for_module(django_db_blocker: Any, var_dir: Path) -> Iterator[FuzzWorld]:
    """Built once for the module, in a transaction rolled back at its end; each test runs in
    a savepoint inside it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # type: ignore[attr-defined]  # intake's durable blocks nest
        atomic.__enter__()
        try:
            yield build_fuzz_world(var_dir)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def limits_out_of_the_way(settings: Any) -> None:
    """No rate limit answers instead of the form; no page asks for the password again."""
    settings.INTAKE_RATE_LIMITS = dict.fromkeys(settings.INTAKE_RATE_LIMITS, PLENTY)
    settings.PARTNER_API_RATE_LIMITS = dict.fromkeys(settings.PARTNER_API_RATE_LIMITS, PLENTY)
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "1000000/m/ip"}
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = FRESH_FOR_SECONDS
    settings.UPLOAD_MAX_BYTES = UPLOAD_MAX_BYTES


def fuzz_route(world: FuzzWorld, route: str) -> None:
    found = world.forms.get(route)
    if found is None:
        pytest.fail(f"no form found for {route} (see the coverage test)")
    posts = ONCE_FOUND.get(route, [])
    fuzz(
        world,
        found,
        EXAMPLES,
        pow_bits=django_settings.INTAKE_POW_BITS,
        upload_max_bytes=UPLOAD_MAX_BYTES,
        known=[as_shown_with(found, values) for values in posts],
        seed=None if SEED == -1 else SEED,
    )
