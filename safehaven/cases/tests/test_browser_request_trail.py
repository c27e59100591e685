"""At a desk (1280 by 800): triage keeps an internal note on a request, follows the link to its
audit trail and sees who opened it; the administrator's audit log names the request and fits
the page even with long details."""

import pytest
from django.db import transaction

from safehaven.accounts.tests.test_browser_webauthn import path_of, submit
from safehaven.cases.tests.test_browser_triage import DESK, log_in
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.intake.tests.helpers import latest_request, submit_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOTE = "Sentinel-Note-Larkspur: call only after 18:00"


def page_overflows(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_it_leads_from_a_request_to_its_trail(browser_context, live_server, world, totp_code):
    submit_request()
    help_request = latest_request()
    base = live_server.url
    page = browser_context.new_page()
    page.set_viewport_size(DESK)
    log_in(page, base, world, totp_code, "triage")

    page.goto(f"{base}/en/staff/requests/{help_request.pk}/")
    page.locator("#internal-notes textarea[name=note]").fill(NOTE)
    submit(page, page.locator("button[name=add-note]").click)
    assert NOTE in page.locator("#notes").inner_text()
    submit(page, page.locator("#trail-link").click)

    assert path_of(page) == f"/en/staff/requests/{help_request.pk}/trail/"
    trail = page.locator("#request-trail").inner_text()
    assert "Help request opened" in trail
    assert "Internal note added to a request" in trail
    assert "triage" in trail
    assert NOTE not in page.content()
    assert not page_overflows(page)


def test_it_fits_the_audit_log_to_a_desk(browser_context, live_server, world, totp_code):
    submit_request()
    help_request = latest_request()
    with transaction.atomic():
        for _number in range(3):
            record_event(
                EventType.RECORD_GRANTED,
                actor=world.users["triage"],
                target=help_request,
                detail="x" * 200,
            )
    base = live_server.url
    page = browser_context.new_page()
    page.set_viewport_size(DESK)
    log_in(page, base, world, totp_code, "admin")

    page.goto(f"{base}/en/staff/admin/audit/")

    assert page.locator(f'a[href="/en/staff/requests/{help_request.pk}/trail/"]').count() == 3
    assert not page_overflows(page)
    submit(page, page.locator(f'a[href="/en/staff/requests/{help_request.pk}/trail/"]').first.click)
    assert "Access to a record granted" in page.locator("#request-trail").inner_text()
