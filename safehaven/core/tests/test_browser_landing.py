"""A person opens the landing page in English and Arabic and leaves with the quick exit."""

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def refuse_other_origins(context, live_server_url: str) -> list[str]:
    """Refuse and record every request to another origin. (The machine has no internet, so
    the quick exit's neutral site is checked by the request the browser makes for it.)"""
    foreign: list[str] = []

    def handle(route):
        url = route.request.url
        if url.startswith(live_server_url):
            route.continue_()
        else:
            if not url.startswith(settings.QUICK_EXIT_URL):
                foreign.append(url)
            route.abort()

    context.route("**/*", handle)
    return foreign


def leaves_for_the_neutral_site(page, action) -> None:
    with page.expect_request(lambda request: request.url == settings.QUICK_EXIT_URL):
        action()


def test_it_shows_english_and_arabic_and_exits_without_a_cookie(browser_context, live_server):
    foreign = refuse_other_origins(browser_context, live_server.url)
    page = browser_context.new_page()

    page.goto(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.get_by_role("heading", level=1).inner_text() == "Help for LGBTQ+ people in danger"

    page.locator("nav.languages a[hreflang=ar]").click()
    page.wait_for_url(f"{live_server.url}/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert browser_context.cookies() == []

    leaves_for_the_neutral_site(page, page.locator("[data-quick-exit]").click)
    assert browser_context.cookies() == []
    assert foreign == []


def test_it_leaves_with_escape_pressed_twice(browser_context, live_server):
    refuse_other_origins(browser_context, live_server.url)
    page = browser_context.new_page()
    page.goto(f"{live_server.url}/fa/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.wait_for_load_state("load")

    def press_escape_twice():
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")

    leaves_for_the_neutral_site(page, press_escape_twice)
    assert browser_context.cookies() == []


def test_it_works_with_javascript_off(chromium, live_server):
    context = chromium.new_context(java_script_enabled=False)
    try:
        refuse_other_origins(context, live_server.url)
        page = context.new_page()
        page.goto(f"{live_server.url}/ru/")
        assert page.locator("html").get_attribute("lang") == "ru"
        page.locator(".skip-link").focus()
        leaves_for_the_neutral_site(page, page.locator("[data-quick-exit]").click)
        assert context.cookies() == []
    finally:
        context.close()
