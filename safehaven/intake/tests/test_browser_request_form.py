"""A person asks for help in a real browser, with and without JavaScript."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def only_this_site(context, live_server_url: str) -> list[str]:
    foreign: list[str] = []

    def handle(route):
        if route.request.url.startswith(live_server_url):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", handle)
    return foreign


def fill_smallest_request(page) -> None:
    page.get_by_label("What is happening, and what help do you need?").fill(
        "They know about me at work. <b>Please</b> help."
    )
    page.get_by_label("Which country are you in now?").select_option("UZ")
    page.get_by_text("Optional: you can add this now or later on your status page").click()
    page.get_by_label("Your citizenship").select_option("UZ")
    page.get_by_label("Another citizenship, if you have one").first.select_option("RU")
    page.get_by_label("O‘zbek (Uzbek)").check()  # noqa: RUF001 - the autonym
    page.get_by_label("Telegram").fill("@safe_name")
    page.get_by_role("radio", name="No").first.check()
    page.get_by_label("I agree").check()


def test_it_sends_a_request_with_a_proof_of_work_stamp(
    browser_context, live_server, settings, world
):
    # Only a good stamp gets through: the page's script must have made one.
    settings.INTAKE_POW_BITS = 12
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "submit_without_pow": (0, 60)}
    foreign = only_this_site(browser_context, live_server.url)
    page = browser_context.new_page()
    page.goto(f"{live_server.url}/en/help/")
    assert page.title() == "Contact form"
    fill_smallest_request(page)
    page.get_by_role("button", name="Send my request").click()
    page.get_by_role("heading", name="Your request was sent").wait_for()
    assert page.title() == "Message sent"
    assert page.locator("ol.codename li").count() == 7
    assert browser_context.cookies() == []
    assert page.evaluate("window.localStorage.length + window.sessionStorage.length") == 0
    assert foreign == []


def test_it_sends_a_request_with_javascript_off(chromium, live_server, settings, world):
    settings.INTAKE_RATE_LIMITS = {**settings.INTAKE_RATE_LIMITS, "submit_with_pow": (0, 60)}
    context = chromium.new_context(java_script_enabled=False)
    try:
        foreign = only_this_site(context, live_server.url)
        page = context.new_page()
        page.goto(f"{live_server.url}/fa/help/")
        with page.expect_navigation():
            page.locator("form button[type=submit]").click()  # nothing filled in
        assert page.locator(".error-summary").count() == 1
        page.goto(f"{live_server.url}/en/help/")
        fill_smallest_request(page)
        page.get_by_role("button", name="Send my request").click()
        page.get_by_role("heading", name="Your request was sent").wait_for()
        assert context.cookies() == []
        assert foreign == []
    finally:
        context.close()
