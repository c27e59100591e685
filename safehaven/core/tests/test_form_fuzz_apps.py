"""The form fuzz (``test_form_fuzz.py``, which says how) for the forms of the apps above cases:
travel, finance, advocacy, countries, partners and reports, in a module of their own so that
CI's PostgreSQL half for those apps takes them (``.ci/run``)."""

from __future__ import annotations

import pytest

from safehaven.core.tests.form_fuzz_suite import (
    fuzz_route,
    fuzzed_routes,
)
from safehaven.core.tests.form_fuzz_world import FuzzWorld

pytestmark = pytest.mark.usefixtures("fuzz_limits")


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("route", fuzzed_routes(apps=True))
def test_it_answers_generated_input_without_a_server_error(route: str, fuzz_world: FuzzWorld):
    fuzz_route(fuzz_world, route)
