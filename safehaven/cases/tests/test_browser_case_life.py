"""A case's life in the browser (issue 17): a person writes in Russian; triage accepts the
request from the queue into a case and assigns it; the caseworker moves it to verification,
records the checklist, uploads a photo and asks for approval; a second person, a supervisor,
approves from their own session; the person reloads their status page and reads the neutral
change in Russian."""

import io

import pytest
from django.utils import translation
from PIL import Image

from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.accounts.tests.test_browser_webauthn import (
    REAUTHENTICATE_PATH,
    log_out,
    path_of,
    submit,
)
from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case, EvidenceFile
from safehaven.cases.tests.test_browser_triage import DESK, log_in
from safehaven.intake.choices import RequestStatus
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.test_browser_status import open_the_status_page, send_a_request
from safehaven.intake.thread.display import REQUESTER_STATUS_TEXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_russian(status: RequestStatus) -> str:
    with translation.override("ru"):
        return str(REQUESTER_STATUS_TEXT[status])


def a_jpeg(tmp_path) -> str:
    output = io.BytesIO()
    Image.new("RGB", (120, 80), (180, 160, 140)).save(output, format="JPEG")
    path = tmp_path / "passport-page.jpg"
    path.write_bytes(output.getvalue())
    return str(path)


def accept_and_assign(page, base: str, help_request: HelpRequest) -> Case:
    page.goto(f"{base}/en/staff/requests/")
    link = page.locator(f'table.requests a[href="/en/staff/requests/{help_request.pk}/"]')
    submit(page, link.click)
    page.locator("#open-case textarea[name=reason]").fill("Detained once; at risk at home.")
    submit(page, page.locator("button[name=accept]").click)
    case = Case.objects.get(people__help_request=help_request)
    page.goto(f"{base}/en/staff/cases/")
    page.locator(f"#case-{case.pk}").check()
    page.locator("select[name=caseworker]").select_option(label="caseworker")
    submit(page, page.locator("button[name=action][value=assign]").click)
    assert case.assignments.filter(user__username="caseworker").exists()
    return case


def verify_as_caseworker(page, base: str, case: Case, photo: str) -> None:
    submit(page, page.locator("nav.site-nav").get_by_role("link", name="My cases").click)
    submit(page, page.locator(f'main a[href="/en/staff/cases/{case.pk}/"]').first.click)
    move = page.locator("#move form")
    move.locator("select[name=to_state]").select_option("verification")
    move.locator("textarea[name=reason]").fill("Screened by video call.")
    submit(page, move.get_by_role("button", name="Move").click)
    checks = (
        ("identity", "document", None),
        ("risk", "interview", None),
        ("lgbtq_identity", "partner_attested", "Rainbow Network East"),
    )
    for item, method, partner in checks:
        page.locator("summary", has_text="Record a check").click()
        form = page.locator("form:has(button[name=record-check])")
        form.locator("select[name=item]").select_option(item)
        form.locator("select[name=status]").select_option("confirmed")
        form.locator("select[name=method]").select_option(method)
        if partner:
            form.locator("select[name=partner]").select_option(label=partner)
        submit(page, form.locator("button[name=record-check]").click)
    evidence = page.locator("form:has(button[name=add-evidence])")
    evidence.locator("input[name=file]").set_input_files(photo)
    evidence.locator("input[name=description], textarea[name=description]").fill("Passport")
    submit(page, evidence.locator("button[name=add-evidence]").click)
    assert EvidenceFile.objects.filter(case=case).count() == 1
    submit(page, page.locator("button[name=ask-approval]").click)
    assert page.locator("#verification-pending").is_visible()


def approve_as_supervisor(page, base: str, case: Case) -> None:
    page.goto(f"{base}/en/staff/cases/{case.pk}/")
    submit(page, page.locator("button[name=approve]").click)
    if path_of(page) == REAUTHENTICATE_PATH:  # the session is not fresh enough: password again
        page.locator("input[name=password]").fill(TEST_PASSWORD)
        submit(page, page.locator("main form button[type=submit]").click)
        if path_of(page) != f"/en/staff/cases/{case.pk}/":
            submit(page, page.locator("button[name=approve]").click)
    assert "Case verified." in page.locator(".messages").inner_text()


def test_it_takes_a_case_from_a_request_to_verified(
    browser_context, live_server, world, totp_code, tmp_path
):
    base = live_server.url
    person_context = browser_context.browser.new_context(locale="ru-RU")
    try:
        person = person_context.new_page()
        codename = send_a_request(person, base, "ru")
        open_the_status_page(person, base, "ru", codename)
        status = person.locator("#request-status")
        assert in_russian(RequestStatus.RECEIVED) in status.inner_text()

        staff = browser_context.new_page()
        staff.set_viewport_size(DESK)
        log_in(staff, base, world, totp_code, "triage")
        case = accept_and_assign(staff, base, HelpRequest.objects.get())
        log_out(staff)
        person.reload()
        assert in_russian(RequestStatus.REVIEWING) in status.inner_text()

        log_in(staff, base, world, totp_code, "caseworker")
        verify_as_caseworker(staff, base, case, a_jpeg(tmp_path))
        log_out(staff)
        person.reload()
        assert in_russian(RequestStatus.WILL_CONTACT) in status.inner_text()

        log_in(staff, base, world, totp_code, "supervisor")
        approve_as_supervisor(staff, base, case)
        case.refresh_from_db()
        assert case.state == CaseState.VERIFIED

        person.reload()
        assert person.locator("html").get_attribute("lang") == "ru"
        assert in_russian(RequestStatus.IN_PROGRESS) in status.inner_text()
    finally:
        person_context.close()
