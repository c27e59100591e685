"""axe-core finds no serious or critical problem on any public page, in the six languages
(issues 6 and 16): the landing page, the page on clearing the site, the help-request form
(empty, with errors, and its receipt), the status pages (codename form, thread, contact
details, withdrawal), the cross-origin refusal page, the 404 page and the staff login page.

The browser has the screen of a small phone. Each page is checked as it is; in English its
colours are checked again in dark mode (``prefers-color-scheme: dark``, which many phones choose
by themselves; the colours are the same in every language, so once is enough).
Each test walks one browser page through several pages and reports every problem at the end,
so one run shows them all.
"""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from safehaven.core.public_forms.proof_of_work import SPENT
from safehaven.core.tests.test_browser_landing import refuse_other_origins
from safehaven.intake.rate_budgets import LIMITER
from safehaven.intake.tests.helpers import submit_request
from safehaven.intake.tests.test_browser_status import (
    open_the_status_page,
    reply_as_triage,
    send_a_request,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = pytest.mark.parametrize(
    ("language", "direction"),
    [("en", "ltr"), ("ru", "ltr"), ("ar", "rtl"), ("fr", "ltr"), ("es", "ltr"), ("fa", "rtl")],
)
SERIOUS = {"serious", "critical"}
AXE = Axe()
ALL_RULES = {"resultTypes": ["violations"]}
COLOURS_ONLY = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "rule", "values": ["color-contrast"]},
}
DARK_MODE_LANGUAGE = "en"
SMALL_PHONE = {"width": 360, "height": 640}
NODES_SHOWN = 8
REPEATED_IDS = """() => {
  const seen = new Set(), repeated = new Set();
  for (const element of document.querySelectorAll("[id]")) {
    (seen.has(element.id) ? repeated : seen).add(element.id);
  }
  return [...repeated];
}"""


def describe(page_name: str, path: str, violation: dict[str, Any]) -> str:
    """One violation, readable in a test report: where, which rule, and the elements."""
    nodes = violation["nodes"]
    lines = [
        f"{page_name} ({path}): {violation['id']} [{violation['impact']}] {violation['help']} "
        f"<{violation['helpUrl']}>"
    ]
    for node in nodes[:NODES_SHOWN]:
        target = " ".join(str(part) for part in node["target"])
        summary = " ".join(node.get("failureSummary", "").split())
        lines.append(f"    {target}: {summary}")
    if len(nodes) > NODES_SHOWN:
        lines.append(f"    ... and {len(nodes) - NODES_SHOWN} more element(s)")
    return "\n".join(lines)


class Audit:
    """Runs axe on each page it is shown and keeps the serious and critical violations."""

    def __init__(self, page: Any, language: str, direction: str) -> None:
        self.page = page
        self.language = language
        self.direction = direction
        self.pages: list[str] = []
        self.problems: list[str] = []

    def check(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        # Every page must say its language and direction, so screen readers pick the voice.
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == (
            self.language,
            self.direction,
        ), name
        self.pages.append(name)
        # axe 4.12 no longer checks this itself; a repeated id breaks labels and error links.
        for repeated in page.evaluate(REPEATED_IDS):
            self.problems.append(f"{name} ({urlsplit(page.url).path}): id {repeated!r} is repeated")
        self._keep(name, AXE.run(page, options=ALL_RULES))
        if self.language != DARK_MODE_LANGUAGE:
            return
        page.emulate_media(color_scheme="dark")
        try:
            self._keep(f"{name}, dark mode", AXE.run(page, options=COLOURS_ONLY))
        finally:
            page.emulate_media(color_scheme="light")

    def _keep(self, name: str, results: Any) -> None:
        path = urlsplit(self.page.url).path
        for violation in results.response["violations"]:
            if violation["impact"] in SERIOUS:
                self.problems.append(describe(name, path, violation))

    def assert_clean(self) -> None:
        if self.problems:
            pytest.fail(
                f"{len(self.problems)} serious or critical accessibility problem(s) in "
                f"{self.language} ({len(self.pages)} pages checked: {', '.join(self.pages)}):\n"
                + "\n".join(self.problems),
                pytrace=False,
            )


@pytest.fixture(autouse=True)
def fresh_intake_memory() -> Iterator[None]:
    """No rate limit or spent stamp carried over from another test."""
    LIMITER.clear()
    SPENT.clear()
    yield
    LIMITER.clear()
    SPENT.clear()


@pytest.fixture
def audit_context(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A small phone's screen, no other origin, and the site's CSP bypassed so that axe's
    injected script may run."""
    context = chromium.new_context(
        locale="en-GB", bypass_csp=True, viewport=SMALL_PHONE, color_scheme="light"
    )
    context.set_default_timeout(10_000)
    refuse_other_origins(context, live_server.url)
    yield context
    context.close()


@LANGUAGES
def test_it_finds_no_serious_problem_on_the_landing_404_and_login_pages(
    audit_context, live_server, language, direction
):
    page = audit_context.new_page()
    audit = Audit(page, language, direction)

    page.goto(f"{live_server.url}/{language}/")
    audit.check("landing page")

    page.goto(f"{live_server.url}/{language}/clear/")
    audit.check("page on clearing this site from the browser")

    response = page.goto(f"{live_server.url}/{language}/no-such-page/")
    assert response.status == 404
    assert page.locator("[data-quick-exit]").count() == 1  # checked with the rest of the page
    audit.check("404 page")

    page.goto(f"{live_server.url}/{language}/accounts/login/")
    audit.check("staff login page")

    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    page.locator("[data-error-summary]").wait_for()
    audit.check("staff login page with errors")

    audit.assert_clean()


@LANGUAGES
def test_it_finds_no_serious_problem_on_the_request_form_and_receipt(
    audit_context, live_server, world, language, direction
):
    page = audit_context.new_page()
    audit = Audit(page, language, direction)

    page.goto(f"{live_server.url}/{language}/help/")
    audit.check("request form")

    with page.expect_navigation():
        page.locator("form[data-pow] button[type=submit]").click()
    page.locator("[data-error-summary]").wait_for()
    audit.check("request form with errors")

    send_a_request(page, live_server.url, language)
    audit.check("receipt page")

    audit.assert_clean()


@LANGUAGES
def test_it_finds_no_serious_problem_on_the_status_pages(
    audit_context, live_server, world, settings, language, direction
):
    # The test settings' ImmediateBackend cannot defer the erasure that a withdrawal
    # schedules; a backend that can wait, as in production, lets the withdrawal finish.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    codename = submit_request()
    reply_as_triage(world, "When is it safe to talk?")
    page = audit_context.new_page()
    audit = Audit(page, language, direction)
    base = f"{live_server.url}/{language}"

    page.goto(f"{base}/status/")
    audit.check("codename form")

    page.locator("input[name=codename]").fill("only three words")
    with page.expect_navigation():
        page.locator("button[name=open]").click()
    page.locator("[data-error-summary]").wait_for()
    audit.check("codename form with errors")

    open_the_status_page(page, live_server.url, language, codename)
    audit.check("status page with our message")

    page.locator("textarea[name=body]").fill("After eight in the evening.")
    with page.expect_navigation():
        page.locator("button[name=send]").click()
    page.locator("#done-note").wait_for()
    audit.check("status page after sending a message")

    with page.expect_navigation():
        page.locator("#change-contacts").click()
    audit.check("contact details page")

    page.goto(f"{base}/status/request/withdraw/")
    audit.check("withdrawal confirmation page")

    with page.expect_navigation():
        page.locator("button[name=withdraw]").click()
    page.locator("[data-error-summary]").wait_for()
    audit.check("withdrawal confirmation page with errors")

    page.locator("input[name=confirm]").check()
    with page.expect_navigation():
        page.locator("button[name=withdraw]").click()
    assert page.locator("a[href$='/help/']").count() >= 1  # the page, not an error
    audit.check("withdrawn page")

    audit.assert_clean()


@LANGUAGES
def test_it_finds_no_serious_problem_on_the_cross_origin_refusal_page(
    audit_context, live_server, language, direction
):
    """The refusal page answers only a post from another site: here a page of no site
    (``about:blank``) posts to the request form."""
    page = audit_context.new_page()
    audit = Audit(page, language, direction)
    page.set_content(
        f'<form method="post" action="{live_server.url}/{language}/help/">'
        '<input name="situation" value="x"><button>Send</button></form>'
    )
    with page.expect_navigation():
        page.locator("button").click()
    assert page.locator("a.button[href$='/help/']").count() == 1
    audit.check("cross-origin refusal page")

    audit.assert_clean()
