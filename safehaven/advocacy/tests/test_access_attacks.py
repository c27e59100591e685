"""Those who must not reach a request: another organisation's key holders (404, nothing
opened or audited), an advocacy officer logged in with their duress password (an empty list,
404 for every request, a draft that looks made as in a normal session and is not)."""

import pytest

from safehaven.accounts.models import Membership
from safehaven.accounts.tests.duress_logins import log_in
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.advocacy.models import AdvocacyRequest
from safehaven.advocacy.tests.helpers import draft, government_consent, include, name, url
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.keys.actions.duress import do_set_duress_password
from safehaven.travel.tests.helpers import assigned_case

pytestmark = pytest.mark.django_db
DURESS = "an advocate's other phrase 8812"
NAME = "Sentinel-Name Tamerlan Ostrowe"


def test_it_hides_a_request_from_another_organisation_s_key_holders(world):
    advocacy_request = draft(world)
    case = assigned_case(world)
    government_consent(world, case)
    name(include(case, advocacy_request), full_name=NAME)
    Membership.objects.filter(user=world.users["triage"]).update(organisation=world.partner_a)
    outsider = staff_client_with_keys(world, "triage")
    response = outsider.get(url("advocacy-print-named-letter", advocacy_request))
    assert response.status_code == 404
    assert NAME not in response.content.decode()
    assert not AuditEvent.objects.filter(
        event_type=EventType.ADVOCACY_NAMED_LETTER_PRINTED
    ).exists()


def test_it_shows_an_officer_under_duress_no_request_and_drafts_nothing(world):
    advocacy_request = draft(world)
    real = log_in(world, "advocacy", TEST_PASSWORD)
    assert real.get(url("advocacy-show-request", advocacy_request)).status_code == 200
    officer = world.users["advocacy"]
    do_set_duress_password(officer, DURESS, actor=officer)
    coerced = log_in(world, "advocacy", DURESS)
    listed = coerced.get("/en/staff/advocacy/")
    assert listed.status_code == 200
    assert url("advocacy-show-request", advocacy_request) not in listed.content.decode()
    for page in ("advocacy-show-request", "advocacy-edit-letter", "advocacy-print-letter"):
        assert coerced.get(url(page, advocacy_request)).status_code == 404, page
    posted = POSTED | {"organisation": world.organisation.pk}
    assert coerced.post("/en/staff/advocacy/new/", posted).status_code == 302
    assert AdvocacyRequest.objects.count() == 1


POSTED = {"kind": "protection", "government": "CA", "programme": "P", "contact": "C"}


def test_it_pretends_to_draft_under_duress_as_a_normal_session_drafts(world):
    """The same form, and "drafted" on a good post (a normal session lands on the request's
    page, a coerced one on its list, empty as every list is under duress); nothing made."""
    organisation = f'name="organisation" value="{world.organisation.pk}"'
    real = log_in(world, "advocacy", TEST_PASSWORD)
    assert organisation in real.get("/en/staff/advocacy/new/").content.decode()
    officer = world.users["advocacy"]
    do_set_duress_password(officer, DURESS, actor=officer)
    coerced = log_in(world, "advocacy", DURESS)
    assert organisation in coerced.get("/en/staff/advocacy/new/").content.decode()
    posted = POSTED | {"organisation": world.organisation.pk}
    pretended = coerced.post("/en/staff/advocacy/new/", posted, follow=True)
    assert pretended.redirect_chain == [("/en/staff/advocacy/", 302)]
    assert "Request drafted. Write its letter next." in pretended.content.decode()
    assert not AdvocacyRequest.objects.exists()
    assert not AuditEvent.objects.filter(event_type=EventType.ADVOCACY_REQUEST_DRAFTED).exists()
    bad = coerced.post("/en/staff/advocacy/new/", posted | {"government": "QQ"})
    assert bad.status_code == 200  # bad input is shown again, as in a normal session
    assert "Select a valid choice" in bad.content.decode()
    assert not AdvocacyRequest.objects.exists()
