"""The advocacy officer's pages with a real login: drafting, the request's page, the letter
(edited from a generated draft, printed), the status form; refused to everyone else."""

import datetime

import pytest
from django.utils import timezone

from safehaven.accounts.models import Membership, Organisation, OrganisationKind, Role
from safehaven.advocacy.choices import AdvocacyStatus
from safehaven.advocacy.models import AdvocacyRequest
from safehaven.advocacy.tests.helpers import PROGRAMME, a_crisis, draft, include, tagged, url
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.travel.tests.helpers import assigned_case

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def officer(world):
    return staff_client_with_keys(world, "advocacy")


def test_it_drafts_a_request_from_the_page(world, officer):
    crisis = a_crisis(world)
    form = officer.get("/en/staff/advocacy/new/")
    assert form.status_code == 200
    assert "Chechnya purge 2017" in form.content.decode()
    posted = {
        "organisation": world.organisation.pk,
        "kind": "emergency_visa",
        "government": "CA",
        "programme": PROGRAMME,
        "contact": "Refugee branch, Ottawa",
        "crisis": crisis.pk,
    }
    response = officer.post("/en/staff/advocacy/new/", posted)
    made = AdvocacyRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("advocacy-show-request", made)
    assert (made.crisis, made.created_by) == (crisis, world.users["advocacy"])
    page = officer.get(url("advocacy-show-request", made)).content.decode()
    assert PROGRAMME in page
    assert "Count the crisis" in page
    listed = officer.get("/en/staff/advocacy/").content.decode()
    assert url("advocacy-show-request", made) in listed


def test_it_shows_the_draft_form_again_with_what_was_wrong(world, officer):
    response = officer.post("/en/staff/advocacy/new/", {"kind": "emergency_visa"})
    assert response.status_code == 200
    assert "Please fill this in." in response.content.decode()
    assert not AdvocacyRequest.objects.exists()


def test_it_edits_the_letter_from_a_generated_draft_and_prints_it(world, officer):
    crisis = a_crisis(world)
    advocacy_request = draft(world, crisis=crisis)
    include(tagged(assigned_case(world), crisis), advocacy_request)
    form = officer.get(url("advocacy-edit-letter", advocacy_request)).content.decode()
    for drafted in ("Government of Canada", PROGRAMME, "1 person (1 household)", "Chechnya"):
        assert drafted in form, drafted
    text = "We ask for visas for 1 person. Sentinel-Letter Kestrelholm."
    response = officer.post(url("advocacy-edit-letter", advocacy_request), {"text": text})
    assert response.status_code == 302
    advocacy_request.refresh_from_db()
    assert advocacy_request.letter_text == text
    event = AuditEvent.objects.get(event_type=EventType.ADVOCACY_LETTER_EDITED)
    assert event.detail == f"advocacy request #{advocacy_request.pk}"
    printed = officer.get(url("advocacy-print-letter", advocacy_request))
    assert printed.status_code == 200
    html = printed.content.decode()
    assert "Sentinel-Letter Kestrelholm" in html
    assert 'class="letter-print"' in html
    assert '<dd id="advocacy-people">1</dd>' in html
    fresh = officer.get(url("advocacy-edit-letter", advocacy_request) + "?draft=fresh")
    assert "Sentinel-Letter" not in fresh.content.decode()


def test_it_moves_the_status_from_the_page_and_shows_refusals(world, officer):
    advocacy_request = draft(world)
    status_url = url("advocacy-change-status", advocacy_request)
    refused = officer.post(status_url, {"to_status": "sent", "on": TODAY.isoformat()})
    assert refused.status_code == 200
    assert "Count at least one case in this request" in refused.content.decode()
    include(assigned_case(world), advocacy_request)
    sent = officer.post(status_url, {"to_status": "sent", "on": TODAY.isoformat()})
    assert sent.status_code == 302
    advocacy_request.refresh_from_db()
    assert (advocacy_request.status, advocacy_request.sent_on) == (AdvocacyStatus.SENT, TODAY)
    form = officer.get(status_url).content.decode()
    assert 'value="granted"' in form
    assert 'value="drafted"' not in form
    letter = officer.get(url("advocacy-edit-letter", advocacy_request)).content.decode()
    assert "This letter was sent" in letter
    assert "<textarea" not in letter
    refused_letter = officer.post(url("advocacy-edit-letter", advocacy_request), {"text": "New"})
    assert "it can no longer be changed" in refused_letter.content.decode()


def test_it_counts_the_crisis_s_cases_from_the_page(world, officer):
    crisis = a_crisis(world)
    advocacy_request = draft(world, crisis=crisis)
    tagged(assigned_case(world), crisis)
    response = officer.post(url("advocacy-count-crisis-cases", advocacy_request), follow=True)
    html = response.content.decode()
    assert "1 more case of the crisis counted." in html
    assert '<dd id="advocacy-cases">1</dd>' in html


@pytest.mark.parametrize("username", ["caseworker", "supervisor", "triage", "admin", "finance"])
def test_it_refuses_the_officer_s_pages_to_other_roles(world, username):
    advocacy_request = draft(world)
    client = staff_client_with_keys(world, username)
    assert client.get("/en/staff/advocacy/").status_code == 403
    for name in ("advocacy-show-request", "advocacy-edit-letter", "advocacy-print-letter"):
        assert client.get(url(name, advocacy_request)).status_code == 403, name


def test_it_hides_another_organisation_s_requests(world, officer):
    other = Organisation.objects.create(
        name="Other Haven", kind=OrganisationKind.RELOCATING, country="DE"
    )
    theirs = AdvocacyRequest.objects.create(
        organisation=other, kind="protection", government="DE", programme="P", contact="C"
    )
    assert officer.get(url("advocacy-show-request", theirs)).status_code == 404
    assert (
        url("advocacy-show-request", theirs)
        not in officer.get("/en/staff/advocacy/").content.decode()
    )
    Membership.objects.create(user=world.users["advocacy"], organisation=other, role=Role.ADVOCACY)
    assert officer.get(url("advocacy-show-request", theirs)).status_code == 200


def test_it_shows_a_decision_with_its_figures(world, officer):
    advocacy_request = draft(world)
    include(assigned_case(world), advocacy_request)
    AdvocacyRequest.objects.filter(pk=advocacy_request.pk).update(
        status=AdvocacyStatus.SENT, sent_on=TODAY - datetime.timedelta(days=2)
    )
    posted = {
        "to_status": "granted",
        "on": TODAY.isoformat(),
        "people_granted": "1",
        "people_refused": "0",
        "outcome": "One emergency visa issued.",
    }
    assert officer.post(url("advocacy-change-status", advocacy_request), posted).status_code == 302
    page = officer.get(url("advocacy-show-request", advocacy_request)).content.decode()
    assert "One emergency visa issued." in page
    assert "Granted" in page
    assert "Change the status" not in page


def test_it_shows_the_officer_the_way_in_from_the_staff_home(world, officer):
    html = officer.get("/en/staff/").content.decode()
    assert "Requests to governments" in html
    assert '<a href="/en/staff/advocacy/">Advocacy</a>' in html
