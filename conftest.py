"""Fixtures shared by the tests of every app: no process memory (kept keys, pages, fields, the
active language) carried from one test to the next, the seeded ``world`` (one user per role,
two administrators, partner organisations A and B) with ``staff_client`` and ``totp_code`` for
it, and a Chromium browser for the browser tests. Fixtures only: the plain helpers are in each
app's ``tests/helpers.py`` (the seeded users' password in ``safehaven/accounts/tests/helpers.py``)
and Chromium is found by ``safehaven/core/tests/browsers.py``."""

import io
import os
from collections.abc import Iterator
from typing import Any

import pytest

from safehaven.core.tests.browsers import CHROMIUM_ARGS, find_chromium, running_in_ci

pytest_plugins = ["safehaven.intake.tests.fixtures"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# What makes a test database-dependent: the marker, pytest-django's database fixtures, or a
# fixture of ours that unblocks the database itself (the module-scoped worlds).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_addoption(parser: Any) -> None:
    parser.addoption(
        "--database-dependent-only",
        action="store_true",
        help="run only the tests that use the database (the run on PostgreSQL: the others "
        "do not depend on which database is configured, and ran on SQLite already)",
    )


def uses_database(item: Any) -> bool:
    if item.get_closest_marker("django_db"):
        return True
    definitions = getattr(item, "_fixtureinfo", None)
    for name, fixture_defs in definitions.name2fixturedefs.items() if definitions else ():
        if name in DATABASE_FIXTURES:
            return True
        for fixture_def in fixture_defs:
            ours = not fixture_def.func.__module__.startswith("pytest_django")
            if ours and "django_db_blocker" in fixture_def.argnames:
                return True
    return False


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if not config.getoption("--database-dependent-only"):
        return
    left_out = [item for item in items if not uses_database(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if uses_database(item)]


@pytest.fixture(autouse=True)
def no_key_set_from_another_test() -> Iterator[None]:
    """Each test makes its own keys in a database rolled back afterwards, so the copy of the
    active keys that intake keeps per process (``intake/submission/recipients.py``) must not
    outlive it: it would only cost a retry, but tests count what a request does. Nor may the team
    key versions it saw (``keys/team_key_versions.py``): another test's team may have the same
    id."""
    from safehaven.intake.submission.recipients import forget_keys
    from safehaven.keys.team_key_versions import forget_team_key_versions

    forget_keys()
    forget_team_key_versions()
    yield
    forget_keys()
    forget_team_key_versions()


@pytest.fixture(autouse=True)
def no_fragments_from_another_test() -> None:
    """Pages, pieces and form fields kept in process memory were made under another test's
    settings and data."""
    from django.core.cache import caches

    from safehaven.core.page_shells import forget_kept_pages
    from safehaven.intake.submission.fields import forget_fields_made

    caches["template_fragments"].clear()
    forget_kept_pages()
    forget_fields_made()


@pytest.fixture(autouse=True)
def no_language_left_active() -> Iterator[None]:
    """A request through the test client leaves its page's language active in the thread;
    the next test must not inherit it."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    executable = find_chromium()
    if executable is None:
        message = "Chromium is not installed (apt-get install chromium); browser tests need it."
        if running_in_ci():
            pytest.fail(message + " CI=true, so a missing browser is a failure.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        # Playwright starts Chromium with a fresh, temporary profile of its own.
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium: Any) -> Iterator[Any]:
    """A fresh, empty browser profile per test; requests to any other origin are refused
    and counted so a test can prove that a page loads nothing from elsewhere."""
    context = chromium.new_context(locale="en-GB")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def world(db: Any) -> Any:
    """One user per role, two admins, and two partner organisations (A and B): seeded once
    per database, then written back into each test (``accounts/tests/world_replay.py``)."""
    from safehaven.accounts.seed import SEEDED_USERNAMES, seed_world
    from safehaven.accounts.tests.helpers import TEST_PASSWORD
    from safehaven.accounts.tests.world_replay import seeded_world

    return seeded_world(
        lambda: seed_world(
            password_for=dict.fromkeys(SEEDED_USERNAMES, TEST_PASSWORD),
            email_domain="staff.test",
        )
    )


@pytest.fixture
def country_facts(db: Any) -> None:
    """The countries, regions and risk facts the data migration loads. A transactional test
    flushes every table, these included, so a later test that needs them reloads them here
    rather than depending on the order tests ran in."""
    from django.core.management import call_command

    from safehaven.countries.models import Country

    if not Country.objects.exists():
        call_command("load_country_facts", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def totp_code() -> Any:
    """A current TOTP code for a seeded user's secret."""
    from safehaven.accounts.seed import current_totp

    return current_totp


@pytest.fixture
def staff_client(world: Any) -> Any:
    """A logged-in test client for a seeded user, re-authenticated by default."""
    from django.test import Client

    from safehaven.accounts.models import User
    from safehaven.accounts.tests.helpers import mark_reauthenticated

    def make(username: str, *, reauthenticated: bool = True) -> Client:
        user = User.objects.get(pk=world.users[username].pk)
        client = Client()
        client.force_login(user)
        if reauthenticated:
            mark_reauthenticated(client, user)
        return client

    return make
