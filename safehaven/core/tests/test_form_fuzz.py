"""Hypothesis-driven fuzzing of every form of the site, public and staff, through HTTP: the
fields read from the page that shows the form, filled with a mix of valid choices and junk
(control characters, NUL, invalid UTF-8 and lone surrogates, right-to-left text and emoji,
huge strings, numbers out of range, malformed dates, fields missing, repeated or unknown, files
that lie about themselves or are too large), posted as the role that sees the form, with its
page's CSRF token. No answer may be a server error, and a refusal must say what was wrong
(``form_fuzz_run.problem_with``). This module checks that every route taking a post has a form
to fuzz, and fuzzes the forms of accounts, intake and cases; ``test_form_fuzz_apps.py`` those
of the apps above (a second test process takes it). The partner API is fuzzed by schemathesis
instead (``partners/tests/test_api_fuzz.py``).

The world is the demo data set plus the rows it lacks (``form_fuzz_world``,
``form_fuzz_extras``), built once per module; each post runs in a savepoint rolled back
afterwards, so every example meets the same state. Each run posts the same examples
(``SAFEHAVEN_FORM_FUZZ_SEED`` asks for others, for a deeper run by hand).

``SAFEHAVEN_FORM_FUZZ_EXAMPLES`` sets how many examples each form gets (default 5: a local run
takes about a minute per module). The issue asks for 10,000 generated inputs in CI in all; CI
shares them between its two databases, each with examples of its own (``.ci/run``): 8 per
form on SQLite and 63 on PostgreSQL with ``SAFEHAVEN_FORM_FUZZ_SEED=1``, so the 141 forms (68
here, 73 in the apps' module) get 141 x 71 = 10,011 generated posts (plus, on each database,
one with nothing filled in per form and the posts in ``form_fuzz_suite``), and the partner
API's fuzz 4 operations x ``SAFEHAVEN_API_FUZZ_EXAMPLES`` (25, its default) on each.
Measured on a quiet machine: about 0.04 s per post on SQLite, 0.05 s on PostgreSQL (a case
page shown again with its errors costs most; the two modules' worlds take about 30 s each to
build).
"""

from __future__ import annotations

import pytest

from safehaven.core.tests.form_fuzz_suite import (
    NOT_FUZZED_HERE,
    POST_ROUTES,
    fuzz_route,
    fuzzed_routes,
)
from safehaven.core.tests.form_fuzz_world import FuzzWorld

pytestmark = pytest.mark.usefixtures("fuzz_limits")


@pytest.mark.slow
@pytest.mark.django_db
def test_it_fuzzes_every_route_that_takes_a_post(fuzz_world: FuzzWorld):
    uncovered = [r for r in POST_ROUTES if r not in fuzz_world.forms and r not in NOT_FUZZED_HERE]
    assert not uncovered, (
        f"no page of the fuzz world shows a form posting to {uncovered}: add the row that "
        "shows it to form_fuzz_extras.py, or declare the form in form_fuzz_world.py"
    )
    stale = set(NOT_FUZZED_HERE) - set(POST_ROUTES)
    assert not stale, f"left out but no longer taking a post: {sorted(stale)}"


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("route", fuzzed_routes(apps=False))
def test_it_answers_generated_input_without_a_server_error(route: str, fuzz_world: FuzzWorld):
    fuzz_route(fuzz_world, route)
