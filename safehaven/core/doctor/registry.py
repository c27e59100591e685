"""The doctor's checks: each returns results (ok, warn or fail) that say what to fix.

Apps register checks of their own in a ``doctor`` module (``safehaven/keys/doctor.py``), found
by ``discover()``, so that core imports no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.utils.module_loading import autodiscover_modules


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Result:
    status: Status
    message: str


def ok(message: str) -> Result:
    return Result(Status.OK, message)


def warn(message: str) -> Result:
    return Result(Status.WARN, message)


def fail(message: str) -> Result:
    return Result(Status.FAIL, message)


@dataclass(frozen=True)
class Options:
    """What the operator can tune from the command line."""

    anchor_period: timedelta = timedelta(minutes=5)
    task_late_after: timedelta = timedelta(minutes=10)


CheckFunction = Callable[[Options], list[Result]]


@dataclass(frozen=True)
class Check:
    name: str
    order: int
    explanation: str
    run: CheckFunction


CHECKS: dict[str, Check] = {}


def register(
    name: str, *, order: int, explanation: str
) -> Callable[[CheckFunction], CheckFunction]:
    def decorate(function: CheckFunction) -> CheckFunction:
        CHECKS[name] = Check(name, order, explanation, function)
        return function

    return decorate


def discover() -> list[Check]:
    """Every registered check, in order: core's, then each app's ``doctor`` module's."""
    autodiscover_modules("doctor")
    return sorted(CHECKS.values(), key=lambda check: (check.order, check.name))


def run_check(check: Check, options: Options) -> list[Result]:
    try:
        results = check.run(options)
    except Exception as error:
        # One broken check must not hide the others. The class only: a message could quote
        # a value the check was reading.
        return [fail(f"the check could not run ({type(error).__name__}); fix that first")]
    return results or [ok("nothing to check")]
