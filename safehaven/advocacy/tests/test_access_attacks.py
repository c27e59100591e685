"""Those who must not reach a request: another organisation's key holders (404, nothing
opened or audited), an advocacy officer logged in with their duress password (an empty list,
404 for every request, nothing drafted)."""

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
    posted = {
        "organisation": world.organisation.pk,
        "kind": "protection",
        "government": "CA",
        "programme": "P",
        "contact": "C",
    }
    assert coerced.post("/en/staff/advocacy/new/", posted).status_code == 200
    assert AdvocacyRequest.objects.count() == 1
