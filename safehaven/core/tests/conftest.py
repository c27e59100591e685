"""Fixtures of the two form fuzz modules (``test_form_fuzz.py``, ``test_form_fuzz_apps.py``):
each module builds its own fuzz world, once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module")
def fuzz_world(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[Any]:
    from safehaven.core.tests.form_fuzz_suite import world_for_module

    yield from world_for_module(django_db_blocker, tmp_path_factory.mktemp("var"))


@pytest.fixture
def fuzz_limits(settings: Any) -> None:
    """No rate limit answers instead of the form; no page asks for the password again."""
    from safehaven.core.tests.form_fuzz_suite import limits_out_of_the_way

    limits_out_of_the_way(settings)
