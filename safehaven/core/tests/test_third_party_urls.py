"""No page names another site (SECURITY.md, T8: no third-party request of any kind), over the
authorisation walk's pages: every URL pattern, by GET and by POST, as a role the walk declares
the page shown to (one who sees the sealed sentinels if any does), or else redirected; and
every role's home page, whose menus differ. ``third_party_urls.other_sites`` reads the body
and every header; what may stay is listed there with its reason.

One request per pattern and method, not the walk's every role, to stay lean: the pages differ
by role in what they show, not in what they load (one base template, one CSP). The walk itself
could run the same check on each of its responses at no cost (asked of the lead in
/work/helpers/requests-leaks.md); this module would then go.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse

from safehaven.accounts.tests.test_authorisation_walk import EXPECTATIONS, example_kwargs
from safehaven.accounts.tests.walk_expect import OK, REDIRECT, ROLES, Outcomes
from safehaven.accounts.tests.walk_world import WalkWorld, build_walk_world
from safehaven.core.public_forms.proof_of_work import SPENT
from safehaven.core.tests.third_party_urls import other_sites
from safehaven.countries.models import Country
from safehaven.intake.rate_budgets import LIMITER

pytestmark = pytest.mark.slow
FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker) -> Iterator[WalkWorld]:
    """The walk's world, logged in once, in a transaction rolled back at the end (as the
    walk's own fixture), on the country facts the data migration loads."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # type: ignore[attr-defined]  # intake's durable blocks nest
        atomic.__enter__()
        try:
            if not Country.objects.exists():  # a transactional test before this one flushed them
                call_command("load_country_facts", verbosity=0, stdout=io.StringIO())
            yield build_walk_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def as_the_walk_runs(settings) -> Iterator[None]:
    """The walk's conditions, under which its outcomes were declared: no login counts as
    recent, and intake's limits start empty."""
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    LIMITER.clear()
    SPENT.clear()
    yield
    LIMITER.clear()
    SPENT.clear()


@contextmanager
def rolled_back() -> Iterator[None]:
    """Undo what one request wrote, so each meets the walk's world as it was built."""
    atomic = transaction.atomic()
    atomic._from_testcase = True  # type: ignore[attr-defined]  # intake's durable blocks nest
    with atomic:
        yield
        transaction.set_rollback(True)


def chosen_role(outcomes: Outcomes, revealed_to: frozenset[str]) -> str | None:
    """A role the page is shown to, one who sees the sentinels first; else one redirected."""
    shown = [role for role in ROLES if outcomes.get(role) == OK]
    if shown:
        return next((role for role in shown if role in revealed_to), shown[0])
    return next((role for role in ROLES if outcomes.get(role) == REDIRECT), None)


def test_it_sees_each_kind_of_third_party_reference():
    page = HttpResponse(
        '<svg xmlns="http://www.w3.org/2000/svg"></svg><img src="https://cdn.example.net/a.png">'
        '<form action="//x.example/"></form><p style="background: url(//y.example/b.png)"></p>'
    )
    page["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data: cdn.example.net"
    page["Link"] = "<https://fonts.example.com/f.woff2>; rel=preload"
    assert sorted(other_sites(page)) == [
        "Content-Security-Policy: img-src allows cdn.example.net",
        "Link: https://fonts.example.com/f.woff2",
        "body: //x.example/",
        "body: //y.example/b.png",
        "body: https://cdn.example.net/a.png",
    ]


@pytest.mark.django_db
def test_it_names_no_other_site_on_any_page_of_the_walk(walk):
    found = []
    for name, expect in sorted(EXPECTATIONS.items()):
        url = reverse(name, kwargs=example_kwargs(expect.kwargs, walk))
        for method in ("GET", "POST"):
            role = chosen_role(
                expect.outcomes_for(method) or {}, expect.reveals.get(method, frozenset())
            )
            if role is None:
                continue
            # The form the walk posts where it declares one (an empty post otherwise).
            form = getattr(expect, "post_data", {}) if method == "POST" else {}
            body = urlencode(form)
            with rolled_back():  # each request meets the walk's rows as they were built
                response = walk.client(role).generic(method, url, body, content_type=FORM)
            found += [f"{method} {url} as {role}: {it}" for it in other_sites(response)]
    for role in ROLES:
        response = walk.client(role).get(reverse("accounts-show-home"), follow=True)
        found += [f"home as {role}: {it}" for it in other_sites(response)]
    assert found == []
