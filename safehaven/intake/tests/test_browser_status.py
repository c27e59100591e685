"""A person asks for help in Russian or Arabic, keeps the codename, reads our answer and
replies; with and without JavaScript; and leaves no cookie behind.

Elements are found by name and id, not by their (translated) text.
"""

import pytest
from django.conf import settings
from django.utils import translation

from safehaven.core.tests.test_browser_landing import refuse_other_origins
from safehaven.intake.choices import MessageKind
from safehaven.intake.handling.actions import do_reply_to_request
from safehaven.intake.tests.helpers import latest_request, private_key, thread_bodies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORIES = {
    "ru": "Мои родственники всё узнали. Мне нужна помощь.",
    "ar": "اكتشفت عائلتي أمري وهددتني. أحتاج إلى المساعدة.",
}


def send_a_request(page, base: str, language: str) -> str:
    page.goto(f"{base}/{language}/help/")
    page.locator("textarea[name=situation]").fill(STORIES.get(language, "I need help."))
    page.locator("select[name=country]").select_option("RU")
    page.locator("input[name=contact_signal]").fill("+7 912 000-00-00")
    page.locator("input[name=may_leave_message][value=no]").check()
    page.locator("input[name=consent]").check()
    page.locator("form[data-pow] button[type=submit]").click()
    page.locator("ol.codename li").first.wait_for()
    return " ".join(page.locator("ol.codename li").all_inner_texts())


def open_the_status_page(page, base: str, language: str, codename: str) -> None:
    page.goto(f"{base}/{language}/status/")
    page.locator("input[name=codename]").fill(codename)
    with page.expect_navigation():
        page.locator("button[name=open]").click()
    page.locator("#request-status").wait_for()


def reply_as_triage(world, text: str) -> None:
    do_reply_to_request(
        latest_request(), actor=world.users["triage"], private_key=private_key("triage"), text=text
    )


def neutral_title(language: str) -> str:
    with translation.override(language):
        return translation.gettext("Messages")


@pytest.mark.parametrize(("language", "direction"), [("ru", "ltr"), ("ar", "rtl")])
def test_it_asks_reads_our_answer_and_replies(
    browser_context, live_server, world, language, direction
):
    foreign = refuse_other_origins(browser_context, live_server.url)
    page = browser_context.new_page()
    codename = send_a_request(page, live_server.url, language)
    assert page.locator("html").get_attribute("dir") == direction
    assert browser_context.cookies() == []

    reply_as_triage(world, "Sentinel answer: when is it safe to talk?")
    page.goto(f"{live_server.url}/{language}/status/")
    assert browser_context.cookies() == []  # nothing before the codename is sent
    open_the_status_page(page, live_server.url, language, codename)
    assert page.locator("html").get_attribute("dir") == direction
    assert page.title() == neutral_title(language)
    [cookie] = browser_context.cookies()
    assert cookie["name"] == "sh_status"
    assert cookie["httpOnly"]
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == f"/{language}/status/"
    assert "Sentinel answer: when is it safe to talk?" in page.locator("ol.thread").inner_text()

    page.locator("textarea[name=body]").fill("Вечером, после восьми.")
    with page.expect_navigation():
        page.locator("button[name=send]").click()
    page.locator("#done-note").wait_for()
    assert "Вечером, после восьми." in page.locator("ol.thread").inner_text()
    assert thread_bodies(latest_request())[-1] == (
        MessageKind.FROM_REQUESTER,
        "Вечером, после восьми.",
    )
    assert page.evaluate("window.localStorage.length + window.sessionStorage.length") == 0
    assert foreign == []


def test_it_works_with_javascript_off(chromium, live_server, world):
    context = chromium.new_context(java_script_enabled=False)
    try:
        foreign = refuse_other_origins(context, live_server.url)
        page = context.new_page()
        codename = send_a_request(page, live_server.url, "en")
        assert context.cookies() == []
        reply_as_triage(world, "Sentinel answer without scripts")
        open_the_status_page(page, live_server.url, "en", codename)
        assert "Sentinel answer without scripts" in page.locator("ol.thread").inner_text()
        page.locator("textarea[name=body]").fill("Thank you")
        with page.expect_navigation():
            page.locator("button[name=send]").click()
        assert thread_bodies(latest_request())[-1] == (MessageKind.FROM_REQUESTER, "Thank you")
        assert foreign == []
    finally:
        context.close()


def test_it_leaves_no_cookie_after_the_quick_exit(browser_context, live_server, world):
    refuse_other_origins(browser_context, live_server.url)
    page = browser_context.new_page()
    codename = send_a_request(page, live_server.url, "ru")
    open_the_status_page(page, live_server.url, "ru", codename)
    assert len(browser_context.cookies()) == 1
    with page.expect_request(lambda request: request.url == settings.QUICK_EXIT_URL):
        page.locator("[data-quick-exit]").click()
    assert browser_context.cookies() == []
    # The exit may still be landing (it first steps back through the tab's history).
    page.wait_for_load_state()
    assert page.evaluate("1") == 1  # the page still answers: the exit was not a crash


def test_it_leaves_with_the_leave_button(browser_context, live_server, world):
    refuse_other_origins(browser_context, live_server.url)
    page = browser_context.new_page()
    codename = send_a_request(page, live_server.url, "en")
    open_the_status_page(page, live_server.url, "en", codename)
    with page.expect_navigation():
        page.locator("button[name=leave]").click()
    assert browser_context.cookies() == []
