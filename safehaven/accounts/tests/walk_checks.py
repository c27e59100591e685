"""What the authorisation walk checks on each response: the declared outcome, the sentinels of
the walk's request and of its rows (each shown exactly where declared), the danger check-in's
notice, and the texts a page must hold; and the walk of one URL for every method and role."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any
from urllib.parse import urlencode

from django.db import transaction

from safehaven.accounts.tests.walk_expect import (
    LOGIN,
    METHODS,
    ROLES,
    TRIAGE_READERS,
    Expect,
    refused,
)
from safehaven.accounts.tests.walk_rows import ROW_SENTINELS
from safehaven.accounts.tests.walk_world import DANGER_NOTICE, SENTINELS, WalkWorld

FORM = "application/x-www-form-urlencoded"


def check_outcome(response: Any, wanted: int | str) -> str | None:
    if wanted == LOGIN:
        if response.status_code == 302 and "/accounts/login/" in response["Location"]:
            return None
        return f"wanted login redirect, got {response.status_code}"
    if response.status_code != wanted:
        return f"wanted {wanted}, got {response.status_code}"
    return None


def _text(response: Any) -> str:
    # The headers too: a sentinel in a file name or a redirect's address is shown as well.
    return response.content.decode(errors="replace") + repr(sorted(response.items()))


def check_sentinels(response: Any, must_show: bool) -> str | None:
    text = _text(response)
    shown = [sentinel for sentinel in SENTINELS if sentinel in text]
    if must_show and len(shown) != len(SENTINELS):
        return f"must show the sealed sentinels (keys unlocked), shows only {shown}"
    if not must_show and shown:
        return f"shows sealed sentinels it must not: {shown}"
    return None


def check_row_sentinels(response: Any, must_show: set[tuple[str, ...]]) -> list[str]:
    """Each group of the walk's rows shown whole where it must be, nowhere else any of it."""
    text = _text(response)
    problems = []
    for group in ROW_SENTINELS:
        shown = [sentinel for sentinel in group if sentinel in text]
        if group in must_show and len(shown) != len(group):
            problems.append(f"must show {list(group)}, shows only {shown}")
        if group not in must_show and shown:
            problems.append(f"shows sealed sentinels it must not: {shown}")
    return problems


def check_danger_notice(response: Any, must_show: bool) -> str | None:
    shown = DANGER_NOTICE in response.content.decode(errors="replace")
    if shown != must_show:
        return "must show the danger check-in" if must_show else "shows the danger check-in"
    return None


def check_contains(response: Any, texts: tuple[str, ...]) -> list[str]:
    """Each text on the page, its runs of white space taken as one space."""
    page = " ".join(response.content.decode(errors="replace").split())
    return [f"must show {text!r}" for text in texts if text not in page]


@contextmanager
def rolled_back() -> Iterator[None]:
    """Undo what one post wrote, so each role meets the walk's rows as they were built (one
    role's post acknowledging an alert or withdrawing a consent changes nothing for the next).
    A GET only reads (and audits its reading): left alone, as rolling back the session it
    touches makes the next one slower (a tenth more time on PostgreSQL, measured)."""
    atomic = transaction.atomic()
    atomic._from_testcase = True  # type: ignore[attr-defined]  # intake's durable blocks nest
    with atomic:
        yield
        transaction.set_rollback(True)


def walk_url(url: str, expect: Expect, walk: WalkWorld, *, public: bool) -> list[str]:
    """Every method, as every role: what went other than declared."""
    failures = []
    for method in METHODS:
        outcomes = expect.outcomes_for(method) or refused(public)
        assert set(outcomes) == set(ROLES), f"{url} {method}: declare every role"
        # A form's fields when declared; otherwise an empty body.
        body = urlencode(expect.post_data) if method == "POST" else ""
        content_type = FORM if body else "application/octet-stream"  # Django's default
        shows = expect.shows.get(method, {})
        for role in ROLES:
            with nullcontext() if method == "GET" else rolled_back():
                response = walk.client(role).generic(method, url, body, content_type)
            must_show = role in expect.reveals.get(method, frozenset())
            problems = [
                check_outcome(response, outcomes[role]),
                check_sentinels(response, must_show),
                check_danger_notice(response, must_show and role in TRIAGE_READERS),
                *check_row_sentinels(response, {g for g, roles in shows.items() if role in roles}),
                *check_contains(response, expect.contains.get(method, {}).get(role, ())),
            ]
            failures += [f"{method} as {role}: {problem}" for problem in problems if problem]
    return failures
