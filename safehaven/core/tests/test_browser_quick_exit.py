"""On a small phone in Persian and Russian: after the quick exit, Back leads out of the site;
the page on clearing the site from a browser is one tap away in the footer, and axe finds no
serious problem on it.

Elements are found by id, not by their (translated) text.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from safehaven.core.tests.test_browser_landing import refuse_other_origins
from safehaven.intake.tests.test_browser_status import open_the_status_page, send_a_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = pytest.mark.parametrize("language", ["fa", "ru"])
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    refuse_other_origins(context, live_server.url)
    yield context
    context.close()


@LANGUAGES
def test_it_leaves_no_page_of_the_site_one_back_away(phone, live_server, world, language):
    page = phone.new_page()
    codename = send_a_request(page, live_server.url, language)
    open_the_status_page(page, live_server.url, language, codename)
    with page.expect_request(lambda request: request.url == settings.QUICK_EXIT_URL):
        page.locator("[data-quick-exit]").click()
    page.wait_for_timeout(500)  # the neutral site's error page (no internet here) settles
    page.go_back()
    assert not page.url.startswith(live_server.url)
    assert phone.cookies() == []


@LANGUAGES
def test_it_links_the_clearing_help_from_the_footer(phone, live_server, world, language):
    page = phone.new_page()
    page.goto(f"{live_server.url}/{language}/status/")
    with page.expect_navigation():
        page.locator("#clearing-help").click()
    assert page.url == f"{live_server.url}/{language}/clear/"
    assert page.locator("#clear-android").is_visible()
    assert page.locator("#clear-iphone").is_visible()
    assert phone.cookies() == []


@LANGUAGES
def test_it_finds_no_serious_problem_on_the_clearing_help(chromium, live_server, language):
    context = chromium.new_context(viewport=PHONE, bypass_csp=True)
    try:
        refuse_other_origins(context, live_server.url)
        page = context.new_page()
        page.goto(f"{live_server.url}/{language}/clear/")
        results = Axe().run(page, options={"resultTypes": ["violations"]})
        serious = [
            violation["id"]
            for violation in results.response["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
        assert serious == []
    finally:
        context.close()
