"""Crisis mode in the browser (issue 22): an administrator opens a crisis in Russia through the
crisis form, a person in Russia sends a request through the public form in a browser of their
own (its script makes the proof-of-work stamp), and the crisis dashboard counts it: one request
today, one waiting for triage. Runs in CI; skipped elsewhere only when Chromium is missing
(the root conftest's ``chromium`` fixture says so, and fails instead when CI is set)."""

from __future__ import annotations

import pytest

from safehaven.accounts.tests.test_browser_webauthn import path_of, submit
from safehaven.cases.tests.test_browser_triage import DESK, log_in
from safehaven.countries.models import Crisis
from safehaven.intake.models import HelpRequest
from safehaven.reports.crisis_dashboard.views import counter_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CRISIS_NAME = "North Caucasus surge"
STORY = "Sentinel-Browser-Crisis-Larkspur"


def open_the_crisis(page, base: str) -> Crisis:
    page.goto(f"{base}/en/staff/crises/new/")
    page.get_by_label("Name").fill(CRISIS_NAME)
    page.get_by_label("Countries").select_option("RU")
    page.get_by_label("Starts on (YYYY-MM-DD)").fill(counter_day().isoformat())
    # The partner organisations (when the form has them) stay empty.
    submit(page, page.get_by_role("button", name="Save").click)
    assert path_of(page) == "/en/staff/crises/", page.locator("main").inner_text()
    assert "Crisis recorded." in page.locator(".messages").inner_text()
    return Crisis.objects.get(name=CRISIS_NAME)


def ask_for_help_from_russia(context, base: str) -> None:
    page = context.new_page()
    page.goto(f"{base}/en/help/")
    page.get_by_label("What is happening, and what help do you need?").fill(
        f"{STORY}: they know about me at work."
    )
    page.get_by_label("Which country are you in now?").select_option("RU")
    page.get_by_text("Optional: you can add this now or later on your status page").click()
    page.get_by_label("Your citizenship").select_option("RU")
    page.get_by_label("Русский (Russian)").check()
    page.get_by_label("Telegram").fill("@sentinel_crisis_name")
    page.get_by_role("radio", name="No").first.check()
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Send my request").click()
    page.get_by_role("heading", name="Your request was sent").wait_for()


def test_the_crisis_dashboard_counts_a_request_from_the_crisis(
    browser_context, chromium, live_server, settings, world, country_facts, totp_code
):
    # A quick stamp, made by the page's script as for anyone.
    settings.INTAKE_POW_BITS = 12
    base = live_server.url
    admin = browser_context.new_page()
    admin.set_viewport_size(DESK)
    log_in(admin, base, world, totp_code, "admin")
    crisis = open_the_crisis(admin, base)

    # The person, in a browser of their own (no staff cookie).
    person = chromium.new_context(locale="ru-RU")
    try:
        ask_for_help_from_russia(person, base)
    finally:
        person.close()
    assert HelpRequest.objects.get().crisis == crisis  # tagged on arrival

    admin.goto(f"{base}/en/staff/reports/crises/")
    row = admin.locator(f"#crisis-{crisis.pk}")
    assert row.locator(".requests-so-far").inner_text() == "1"
    submit(admin, row.get_by_role("link", name=CRISIS_NAME).click)
    assert path_of(admin) == f"/en/staff/reports/crises/{crisis.pk}/"
    assert admin.locator("#inflow-today").inner_text() == "1"
    assert admin.locator("#request-backlog-total").inner_text() == "1"
    assert admin.locator("#case-backlog-total").inner_text() == "0"
    today_row = admin.locator("table.chart-table tr", has_text=counter_day().isoformat())
    assert today_row.locator("td").inner_text() == "1"
    assert admin.locator("svg[role=img]").count() == 1
    main = admin.locator("main").inner_text()
    assert STORY not in main
    assert "@sentinel_crisis_name" not in main
