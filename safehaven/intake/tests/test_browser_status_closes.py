"""On a small phone in Persian and Russian: the status page closes by itself after the idle
time, with and without JavaScript, and its message times read relatively, in the language's
digits."""

from datetime import timedelta

import pytest
from django.conf import settings

from safehaven.core.tests.test_browser_landing import refuse_other_origins
from safehaven.intake.tests.test_browser_status import (
    open_the_status_page,
    reply_as_triage,
    send_a_request,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
ONE_HOUR_AGO = {"fa": "\u06f1 ساعت پیش", "ru": "1 час назад"}  # Persian digit one


@pytest.fixture
def short_idle(settings):
    settings.INTAKE_STATUS_IDLE = timedelta(seconds=3)


@pytest.mark.parametrize("scripts", [True, False])
@pytest.mark.parametrize("language", ["fa", "ru"])
def test_it_closes_the_status_page_after_the_idle_time(
    chromium, live_server, world, short_idle, language, scripts
):
    context = chromium.new_context(viewport=PHONE, is_mobile=True, java_script_enabled=scripts)
    try:
        refuse_other_origins(context, live_server.url)
        page = context.new_page()
        codename = send_a_request(page, live_server.url, language)
        open_the_status_page(page, live_server.url, language, codename)
        with page.expect_request(lambda request: request.url == settings.QUICK_EXIT_URL):
            page.wait_for_timeout(3500)
        assert context.cookies() == []
    finally:
        context.close()


@pytest.mark.parametrize("language", ["fa", "ru"])
def test_it_shows_message_times_relatively_in_the_languages_digits(
    chromium, live_server, world, language
):
    context = chromium.new_context(viewport=PHONE, is_mobile=True)
    try:
        refuse_other_origins(context, live_server.url)
        page = context.new_page()
        codename = send_a_request(page, live_server.url, language)
        reply_as_triage(world, "Sentinel answer")
        open_the_status_page(page, live_server.url, language, codename)
        assert page.locator("ol.thread time").first.inner_text() == ONE_HOUR_AGO[language]
    finally:
        context.close()
