"""The site on an onion address, in Chromium with the onion's name resolved to a local server
(``--host-resolver-rules``) that runs with the settings of an onion deployment: a person asks
for help and opens the status page, a caseworker logs in and reads the request; every page
links only to paths, nothing leaves the onion and nothing is sent to https.

Two browsers: one that treats the onion as a secure context as Tor Browser does (Chromium's
``--unsafely-treat-insecure-origin-as-secure``), and a plain one, like a browser reaching the
onion through a Tor proxy (Orbot): a person can ask for help and read the answers there, but
staff forms refuse it.
"""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from pytest_django.live_server_helper import LiveServer

from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.accounts.tests.test_browser_webauthn import path_of
from safehaven.cases.tests.test_browser_triage import log_in
from safehaven.core.tests.browsers import CHROMIUM_ARGS, find_chromium
from safehaven.core.tests.test_onion_settings import ONION_HOST, ONION_ORIGIN, onion_deployment
from safehaven.intake.tests.helpers import latest_request
from safehaven.intake.tests.test_browser_status import open_the_status_page, send_a_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every address a page names, as written in the page: none may carry a scheme or a host.
ADDRESSES_IN_PAGE = """() => [...document.querySelectorAll(
    "a[href], link[href], area[href], base[href], form[action], button[formaction], "
    + "script[src], img[src], source[src], iframe[src], input[formaction]")].map(
    (element) => element.getAttribute("href") ?? element.getAttribute("action")
        ?? element.getAttribute("formaction") ?? element.getAttribute("src"))"""


@pytest.fixture(scope="module")
def onion_server(django_db_setup: Any) -> Iterator[LiveServer]:
    """Its own live server (the shared one was started with other settings): its middleware
    reads the onion deployment's settings when it starts."""
    with onion_deployment():
        server = LiveServer("127.0.0.1:0")
        yield server
        server.stop()


def launch(chromium: Any, server: LiveServer, *extra_args: str) -> Any:
    executable = find_chromium()
    resolve = f"--host-resolver-rules=MAP {ONION_HOST} 127.0.0.1:{server.thread.port}"
    return chromium.browser_type.launch(
        executable_path=executable, headless=True, args=[*CHROMIUM_ARGS, resolve, *extra_args]
    )


@pytest.fixture(scope="module")
def tor_browser_like(chromium: Any, onion_server: LiveServer) -> Iterator[Any]:
    browser = launch(
        chromium, onion_server, f"--unsafely-treat-insecure-origin-as-secure={ONION_ORIGIN}"
    )
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def behind_a_tor_proxy(chromium: Any, onion_server: LiveServer) -> Iterator[Any]:
    browser = launch(chromium, onion_server)
    yield browser
    browser.close()


class OnionVisit:
    """A browser profile on the onion that refuses every other origin and keeps what it saw."""

    def __init__(self, browser: Any) -> None:
        # What the onion's server block in the proxy adds (docs/deploy.md, "Onion service").
        self.context = browser.new_context(
            extra_http_headers={"X-Forwarded-Proto": "http", "X-Forwarded-For": "127.0.0.1"}
        )
        self.context.set_default_timeout(10_000)
        self.elsewhere: list[str] = []
        self.responses: list[Any] = []
        self.context.route("**/*", self.only_the_onion)
        self.context.on("response", lambda response: self.responses.append(response))
        self.page = self.context.new_page()

    def only_the_onion(self, route: Any) -> None:
        if route.request.url.startswith(f"{ONION_ORIGIN}/"):
            route.continue_()
        else:
            self.elsewhere.append(route.request.url)
            route.abort()

    def check_page(self) -> None:
        """The page is on the onion over http and names no other place."""
        assert self.page.url.startswith(f"{ONION_ORIGIN}/")
        absolute = [
            address
            for address in self.page.evaluate(ADDRESSES_IN_PAGE)
            if urlsplit(address).scheme or urlsplit(address).netloc
        ]
        assert absolute == []

    def check_everything_seen(self) -> None:
        assert self.elsewhere == []
        assert self.responses
        for response in self.responses:
            assert response.url.startswith(f"{ONION_ORIGIN}/")
            assert "strict-transport-security" not in response.headers
            location = response.headers.get("location", "")
            assert not location or (location.startswith("/") and not location.startswith("//"))
            assert response.status < 400, f"{response.status} at {response.url}"

    def close(self) -> None:
        self.context.close()


def ask_for_help_and_open_the_status_page(visit: OnionVisit) -> None:
    page = visit.page
    page.goto(f"{ONION_ORIGIN}/en/")
    visit.check_page()
    codename = send_a_request(page, ONION_ORIGIN, "en")
    visit.check_page()
    assert visit.context.cookies() == []
    open_the_status_page(page, ONION_ORIGIN, "en", codename)
    visit.check_page()
    [cookie] = visit.context.cookies()
    assert (cookie["name"], cookie["domain"], cookie["path"]) == (
        "onion-secure-sh_status",
        ONION_HOST,
        "/en/status/",
    )
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["secure"]) == (True, "Strict", False)


def test_it_serves_a_person_and_a_caseworker_like_tor_browser(
    tor_browser_like, onion_server, world, totp_code
):
    visit = OnionVisit(tor_browser_like)
    try:
        ask_for_help_and_open_the_status_page(visit)
        page = visit.page
        log_in(page, ONION_ORIGIN, world, totp_code, "triage")
        visit.check_page()
        page.goto(f"{ONION_ORIGIN}/en/staff/requests/{latest_request().pk}/")
        assert path_of(page) == f"/en/staff/requests/{latest_request().pk}/"
        assert "I need help." in page.locator("#situation").inner_text()
        visit.check_page()
        assert {cookie["name"] for cookie in visit.context.cookies()} >= {
            "onion-host-safehaven_session",
            "onion-host-sh_login_key",
        }
        visit.check_everything_seen()
    finally:
        visit.close()


def test_it_serves_a_person_through_a_plain_browser_behind_a_tor_proxy(
    behind_a_tor_proxy, onion_server, world
):
    visit = OnionVisit(behind_a_tor_proxy)
    try:
        ask_for_help_and_open_the_status_page(visit)
        assert not visit.page.evaluate("window.isSecureContext")
        visit.check_everything_seen()
        # Such a browser sends no Fetch Metadata over http, so the staff forms' CSRF check
        # (Origin: null needs Sec-Fetch-Site) refuses it: staff use Tor Browser.
        page = visit.page
        page.goto(f"{ONION_ORIGIN}/en/accounts/login/")
        page.locator("input[name=login]").fill(world.users["triage"].email)
        page.locator("input[name=password]").fill(TEST_PASSWORD)
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Log in", exact=True).click()
        assert navigation.value.status == 403
    finally:
        visit.close()
