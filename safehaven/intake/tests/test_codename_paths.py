"""A codename that never existed and one whose request was erased take the same path: the
same database queries and crypto calls, and the same answer (counted, not timed: a timing
test on a shared machine can only catch a path that does much more work)."""

from __future__ import annotations

import functools
import inspect
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safehaven.intake.erasure.actions import do_shred_help_request
from safehaven.intake.tests.helpers import comparable, latest_request, open_status, submit_request

pytestmark = pytest.mark.django_db

UNKNOWN = "apple banana cherry delta eagle falcon grape"
# Where every derivation, encryption, HMAC and record-key operation of a lookup lives.
CRYPTO_MODULES = (
    "safehaven.core.crypto",
    "safehaven.core.crypto_blind_index",
    "safehaven.keys.records",
    "safehaven.keys.wrapping",
    "safehaven.keys.keyring",
)


def _counted(function: Callable[..., Any], calls: Counter[str]) -> Callable[..., Any]:
    @functools.wraps(function)
    def counting(*args: Any, **kwargs: Any) -> Any:
        calls[f"{function.__module__}.{function.__qualname__}"] += 1
        return function(*args, **kwargs)

    return counting


@contextmanager
def counting_crypto_calls() -> Iterator[Counter[str]]:
    """Count calls of every function of CRYPTO_MODULES, under whatever name any of the
    project's modules imported it (each call passes through the caller's copy only)."""
    calls: Counter[str] = Counter()
    with ExitStack() as patches:
        for module_name, module in list(sys.modules.items()):
            if not module_name.startswith("safehaven.") or module is None:
                continue
            for name, value in list(vars(module).items()):
                if inspect.isfunction(value) and value.__module__ in CRYPTO_MODULES:
                    patches.enter_context(mock.patch.object(module, name, _counted(value, calls)))
        yield calls


def _shape(sql: str) -> str:
    """A statement with the looked-up hash blanked: the two codenames differ in nothing else."""
    return re.sub(r"[0-9a-f]{64}", "<hash>", sql)


def trace_of_a_lookup(codename: str) -> tuple[list[str], Counter[str], Any]:
    with CaptureQueriesContext(connection) as queries, counting_crypto_calls() as calls:
        response = open_status(Client(), codename)
    return [_shape(query["sql"]) for query in queries.captured_queries], calls, response


def erased_codename() -> str:
    codename = submit_request()
    help_request = latest_request()
    help_request.withdrawn_at = help_request.shred_due_at = timezone.now()
    help_request.save()
    do_shred_help_request(help_request, actor=None)
    return codename


def test_it_takes_the_same_path_for_an_unknown_and_an_erased_codename(world):
    erased = erased_codename()
    open_status(Client(), UNKNOWN)  # first use: lazily loaded word lists, keys and templates
    unknown_queries, unknown_calls, unknown_response = trace_of_a_lookup(UNKNOWN)
    erased_queries, erased_calls, erased_response = trace_of_a_lookup(erased)
    assert unknown_queries  # the capture works: a lookup reads the database
    assert sum(unknown_calls.values()) >= 2  # and the spy sees the HMAC and the decoy work
    assert erased_queries == unknown_queries
    assert erased_calls == unknown_calls
    assert comparable(erased_response) == comparable(unknown_response)
    assert unknown_response.status_code == 200
    assert b"These words do not open a request." in unknown_response.content


def test_it_takes_the_same_path_for_a_live_codename_with_two_words_swapped(world):
    words = submit_request().split()
    wrong = " ".join([words[1], words[0], *words[2:]])
    open_status(Client(), UNKNOWN)
    unknown_queries, unknown_calls, unknown_response = trace_of_a_lookup(UNKNOWN)
    wrong_queries, wrong_calls, wrong_response = trace_of_a_lookup(wrong)
    assert wrong_queries == unknown_queries
    assert wrong_calls == unknown_calls
    assert comparable(wrong_response) == comparable(unknown_response)
