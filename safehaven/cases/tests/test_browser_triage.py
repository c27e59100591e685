"""At a desk (1280 by 800): triage shares a request with a caseworker, who logs in, finds it on
their page and reads it; a danger check-in is a red alert on the request and in the inbox."""

import pytest
from django.test import Client

from safehaven.accounts.tests.test_browser_webauthn import (
    enter_totp_code,
    fresh_totp_code,
    log_in_with_password,
    log_out,
    path_of,
    submit,
)
from safehaven.intake.tests.helpers import latest_request, submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1280, "height": 800}
SENTINEL = "Sentinel-Desk-Juniper"
DANGER = "red lantern harbour"
RED = "rgb(176, 0, 32)"


def log_in(page, base: str, world, totp_code, username: str) -> None:
    log_in_with_password(page, base, world.users[username].email)
    enter_totp_code(page, fresh_totp_code(totp_code, world.totp_secrets[username]))
    assert path_of(page) == "/en/staff/"


def test_it_hands_a_request_to_a_caseworker(browser_context, live_server, world, totp_code):
    submit_request(situation=f"{SENTINEL} is what happened.")
    help_request = latest_request()
    base = live_server.url
    page = browser_context.new_page()
    page.set_viewport_size(DESK)

    log_in(page, base, world, totp_code, "triage")
    page.goto(f"{base}/en/staff/requests/{help_request.pk}/")
    page.locator("select[name=reader]").select_option(label="caseworker")
    submit(page, page.locator("button[name=share]").click)
    assert "Request shared with caseworker." in page.locator(".messages").inner_text()
    log_out(page)

    log_in(page, base, world, totp_code, "caseworker")
    menu = page.locator("nav.site-nav")
    submit(page, menu.get_by_role("link", name="Shared with you").click)
    assert path_of(page) == "/en/staff/shared/"
    submit(page, page.locator(f'a[href="/en/staff/requests/{help_request.pk}/"]').click)
    assert SENTINEL in page.locator("#situation").inner_text()


def test_it_shows_a_danger_check_in_as_an_alert(browser_context, live_server, world, totp_code):
    codename = submit_request(checkin_phrase="blue river morning", duress_phrase=DANGER)
    help_request = latest_request()
    submit_request(risk_indicators=["threats_state", "violence"])
    Client().post("/en/status/", {"codename": codename, "phrase": DANGER})
    base = live_server.url
    page = browser_context.new_page()
    page.set_viewport_size(DESK)
    log_in(page, base, world, totp_code, "triage")

    page.goto(f"{base}/en/staff/requests/")
    first_row = page.locator("table.requests tbody tr").first
    assert first_row.locator(f'a[href="/en/staff/requests/{help_request.pk}/"]').count() == 1
    marker = first_row.locator(".attention-marker")
    assert marker.is_visible()
    assert marker.evaluate("e => getComputedStyle(e).backgroundColor") == RED

    page.goto(f"{base}/en/staff/requests/{help_request.pk}/")
    alert = page.locator("#danger-check-in")
    assert alert.get_attribute("role") == "alert"
    assert alert.is_visible()
    assert alert.evaluate("e => getComputedStyle(e).backgroundColor") == RED
    assert alert.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
    box = alert.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= DESK["height"], box
