"""The form fuzz (``test_form_fuzz.py``, which says how) for the forms of the apps above cases:
travel, finance, advocacy, countries, partners and reports, in a module of their own so that a
second test process takes them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from safehaven.core.tests.form_fuzz_suite import (
    fuzz_route,
    fuzzed_routes,
    limits_out_of_the_way,
    world_for_module,
)
from safehaven.core.tests.form_fuzz_world import FuzzWorld


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[FuzzWorld]:
    yield from world_for_module(django_db_blocker, tmp_path_factory.mktemp("var"))


@pytest.fixture(autouse=True)
def limits(settings) -> None:
    limits_out_of_the_way(settings)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("route", fuzzed_routes(apps=True))
def test_it_answers_generated_input_without_a_server_error(route: str, fuzz_world: FuzzWorld):
    fuzz_route(fuzz_world, route)
