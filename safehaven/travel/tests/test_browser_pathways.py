"""A pathway in the browser (issue 18): a caseworker opens a verified case, starts a pathway from
its panel, records a step done, records a passport and sends the pathway's sheet; the person's
status page, in their own browser, shows the sheet and nothing of the passport or of the
pathway's staff title."""

import datetime
import re

import pytest
from django.utils import timezone

from safehaven.accounts.tests.test_browser_webauthn import path_of, submit
from safehaven.cases.tests.test_browser_triage import DESK, log_in
from safehaven.countries.models import Country
from safehaven.intake.tests.test_browser_status import open_the_status_page, send_a_request
from safehaven.travel.choices import PathwayKind, StepOutcome
from safehaven.travel.models import CasePathway, TravelDocument
from safehaven.travel.pathways.catalogue import pathway
from safehaven.travel.tests.test_browser_saved_route import verified_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KIND = PathwayKind.CANADA_GAR
PASSPORT_COUNTRY = "GE"  # named nowhere else on the person's page
NUMBER = "GX7391842"


def start_and_record_a_step(staff, case_url: str, caseworker_pk: int) -> CasePathway:
    start = staff.locator("#pathways form").last
    start.locator("select[name=kind]").select_option(KIND.value)
    start.locator("select[name=owner]").select_option(str(caseworker_pk))
    submit(staff, start.get_by_role("button", name="Start").click)
    assert "Pathway started." in staff.locator("body").inner_text()
    row = CasePathway.objects.get(kind=KIND)
    first = row.steps.get(position=0)
    submit(staff, staff.locator(f"#pathway-{row.pk} tbody tr").first.get_by_role("link").click)
    staff.locator("select[name=outcome]").select_option(StepOutcome.DONE.value)
    submit(staff, staff.get_by_role("button", name="Save").click)
    assert path_of(staff) == case_url
    assert "Step recorded." in staff.locator("body").inner_text()
    first.refresh_from_db()
    assert first.outcome == StepOutcome.DONE
    return row


def record_a_passport(staff) -> None:
    documents = staff.locator("#travel-documents form").last
    documents.locator("select[name=kind]").select_option("passport")
    documents.locator("select[name=issuing_country]").select_option(PASSPORT_COUNTRY)
    documents.locator("input[name=number]").fill(NUMBER)
    valid_until = timezone.localdate() + datetime.timedelta(days=1500)
    documents.locator("input[name=valid_until]").fill(valid_until.isoformat())
    submit(staff, documents.get_by_role("button", name="Record").click)
    assert NUMBER in staff.locator("#travel-documents").inner_text()
    assert TravelDocument.objects.filter(kind="passport").count() == 1


def test_it_sends_a_pathway_sheet_that_names_no_country_or_title(
    browser_context, live_server, world, totp_code, country_facts
):
    base = live_server.url
    person_context = browser_context.browser.new_context(locale="en-GB")
    try:
        person = person_context.new_page()
        codename = send_a_request(person, base, "en")
        open_the_status_page(person, base, "en", codename)
        before = person.locator("body").inner_text()
        case = verified_case(world)
        case_url = f"/en/staff/cases/{case.pk}/"

        staff = browser_context.new_page()
        staff.set_viewport_size(DESK)
        log_in(staff, base, world, totp_code, "caseworker")
        staff.goto(f"{base}{case_url}")
        assert "No pathway yet." in staff.locator("#pathways").inner_text()
        row = start_and_record_a_step(staff, case_url, world.users["caseworker"].pk)
        record_a_passport(staff)
        sheet = staff.locator(f"#pathway-{row.pk} details.pathway-sheet")
        sheet.locator("summary").click()
        submit(staff, sheet.get_by_role("button", name="Send the sheet").click)
        assert "Information sheet sent" in staff.locator("body").inner_text()

        person.reload()
        after = person.locator("body").inner_text()
        for paragraph in pathway(KIND).sheet:
            assert str(paragraph) in after
        assert str(pathway(KIND).title) not in after
        assert "Canada" not in after
        country = Country.objects.get(iso2=PASSPORT_COUNTRY).name
        assert after.count(country) == before.count(country) == 0
        assert NUMBER not in after
        bodies = person.locator(".thread-body").all_inner_texts()
        assert len(bodies) == 1
        assert not re.search(r"\d", bodies[0])  # no number, date or day count
    finally:
        person_context.close()
