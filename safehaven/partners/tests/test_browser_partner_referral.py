"""At a desk (1280 by 800): a member of partner A logs in (password and TOTP, their key unlocked),
switches the portal to Russian, refers a person through the Russian form and finds the referral
in their list with a neutral status; triage, in another browser, finds it in the inbox, opens it
with its own key and changes its status; the partner reloads and sees the new neutral status.
axe then finds no serious problem on the partner's Russian pages.

Fields are found by their name attributes (their Russian labels come with the translations);
what the page says in Russian is checked where the catalogue already has it.
"""

import re
from typing import Any

import pytest
from django.utils import translation

from safehaven.accounts.tests.test_browser_webauthn import path_of, submit
from safehaven.cases.tests.test_browser_triage import DESK, log_in
from safehaven.core.tests.test_browser_accessibility import Audit
from safehaven.core.tests.test_browser_landing import refuse_other_origins
from safehaven.intake.choices import RequestChannel, RequestStatus
from safehaven.intake.models import HelpRequest
from safehaven.partners.referrals.queries import neutral_status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SITUATION = (
    "Sentinel-Полынь: его задержали на улице и продержали ночь в отделе. "  # noqa: RUF001
    "Сейчас он прячется у друзей и просит помочь уехать."  # noqa: RUF001
)
KNOWN_AS = "Тимур"
REFERRAL_PAGE = re.compile(r"^/ru/partners/referrals/(\d+)/$")


def in_russian(status: RequestStatus) -> str:
    with translation.override("ru"):
        return str(status.label)


def status_in_list(page: Any, request_id: int) -> str:
    link = page.locator(f'a[href="/ru/partners/referrals/{request_id}/"]')
    row = page.locator("#referrals tbody tr").filter(has=link)
    return row.locator("td").last.inner_text().strip()


def switch_to_russian(page: Any) -> None:
    languages = page.locator("nav.languages")
    submit(page, languages.locator('a[hreflang="ru"]').click)
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ru", "ltr")


def refer_in_russian(page: Any) -> int:
    """Fill the Russian referral form as a partner would and send it; the referral's id."""
    submit(page, page.locator('main a[href="/ru/partners/refer/"]').click)
    assert path_of(page) == "/ru/partners/refer/"
    form = page.locator("main form:has(textarea[name=situation])")
    form.locator("input[name=known_as]").fill(KNOWN_AS)
    form.locator("textarea[name=situation]").fill(SITUATION)
    form.locator("select[name=country]").select_option("RU")
    form.locator("input[name=region]").fill("Чечня")
    form.locator("input[name=languages][value=ru]").check()
    form.locator("select[name=contact_method]").select_option("signal")
    form.locator("input[name=contact]").fill("+7 900 000-00-31")
    form.locator("input[name=contact_times]").fill("после 19:00 по Москве")
    form.locator("input[name=may_leave_message][value=no]").check()
    form.locator("input[name=risk_indicators][value=detained]").check()
    form.locator("input[name=risk_indicators][value=in_hiding]").check()
    form.locator("select[name=page_language]").select_option("ru")
    form.locator("input[name=consent]").check()
    submit(page, form.locator("button[type=submit]").click)
    match = REFERRAL_PAGE.match(path_of(page))
    assert match, path_of(page)
    return int(match.group(1))


def change_status_as_triage(page: Any, base: str, request_id: int) -> None:
    page.goto(f"{base}/en/staff/requests/")
    inbox_link = page.locator(f'table.requests a[href="/en/staff/requests/{request_id}/"]')
    assert inbox_link.count() == 1
    submit(page, inbox_link.click)
    assert SITUATION in page.locator("#situation").inner_text()
    page.locator("select[name=status]").select_option(RequestStatus.REVIEWING.value)
    submit(page, page.locator("button[name=change-status]").click)
    assert "Status changed." in page.locator(".messages").inner_text()


def test_it_refers_in_russian_and_follows_the_neutral_status(
    browser_context, chromium, live_server, world, totp_code
):
    base = live_server.url
    foreign = refuse_other_origins(browser_context, base)
    partner = browser_context.new_page()
    partner.set_viewport_size(DESK)
    log_in(partner, base, world, totp_code, "partner_a")
    partner.goto(f"{base}/en/partners/referrals/")
    switch_to_russian(partner)
    assert path_of(partner) == "/ru/partners/referrals/"

    request_id = refer_in_russian(partner)
    received = in_russian(RequestStatus.RECEIVED)
    assert received == "Получено"
    assert partner.locator("#referral-status").inner_text().strip() == received
    assert partner.locator("#problem").count() == 0  # the key unlocked at login opens it
    referral = HelpRequest.objects.get(pk=request_id)
    assert (referral.referred_by, referral.channel) == (world.partner_a, RequestChannel.PORTAL)
    assert referral.codename_hash is None  # a partner's referral has no codename
    submit(partner, partner.locator('main a[href="/ru/partners/referrals/"]').first.click)
    assert status_in_list(partner, request_id) == received
    assert SITUATION not in partner.content()  # the list shows nothing sealed

    triage_context = chromium.new_context(locale="en-GB")
    triage_context.set_default_timeout(10_000)
    try:
        triage = triage_context.new_page()
        triage.set_viewport_size(DESK)
        log_in(triage, base, world, totp_code, "triage")
        change_status_as_triage(triage, base, request_id)
    finally:
        triage_context.close()

    partner.reload()
    reviewing = in_russian(RequestStatus.REVIEWING)
    assert reviewing == "На рассмотрении"  # noqa: RUF001
    assert status_in_list(partner, request_id) == reviewing
    referral.refresh_from_db()
    with translation.override("ru"):
        assert neutral_status(referral) == reviewing
    assert foreign == []

    audit_partner_pages(chromium, browser_context, base, request_id)


def audit_partner_pages(chromium: Any, logged_in: Any, base: str, request_id: int) -> None:
    """axe over the partner's Russian pages, in the same session: axe's script needs the
    page's CSP bypassed, so it runs in a context of its own (the flow above ran under the CSP)."""
    context = chromium.new_context(
        locale="en-GB", bypass_csp=True, viewport=DESK, storage_state=logged_in.storage_state()
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        audit = Audit(page, "ru", "ltr")
        page.goto(f"{base}/ru/partners/referrals/")
        audit.check("partner's referrals")
        page.goto(f"{base}/ru/partners/refer/")
        audit.check("referral form")
        with page.expect_navigation():
            page.locator("main form:has(textarea[name=situation]) button[type=submit]").click()
        page.locator("[data-error-summary]").wait_for()
        audit.check("referral form with errors")
        page.goto(f"{base}/ru/partners/referrals/{request_id}/")
        audit.check("one referral")
        audit.assert_clean()
    finally:
        context.close()
