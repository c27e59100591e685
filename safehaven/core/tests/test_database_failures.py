"""A failing database becomes a refusal a page can explain (core/database_failures.py)."""

import pytest
from django.db import IntegrityError, OperationalError

from safehaven.core.database_failures import refused_when_the_database_fails


class NotNow(Exception):
    pass


@refused_when_the_database_fails(NotNow)
def act(outcome: Exception | None = None) -> str:
    if outcome is not None:
        raise outcome
    return "done"


def test_it_passes_a_result_through():
    assert act() == "done"


@pytest.mark.parametrize("failure", [OperationalError, IntegrityError])
def test_it_refuses_when_the_database_fails_and_logs_only_the_class(failure, caplog):
    with pytest.raises(NotNow) as refused:
        act(failure("duplicate key value (nonce)=(secret-value-7c1)"))
    assert refused.value.__cause__ is None
    assert f"act: the database failed ({failure.__name__})" in caplog.text
    assert "secret-value-7c1" not in caplog.text


def test_it_leaves_other_errors_alone():
    with pytest.raises(ValueError, match="not the database"):
        act(ValueError("not the database"))
