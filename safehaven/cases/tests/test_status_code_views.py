"""The staff page that makes a one-time status code (cases-issue-status-code), and its link on
a request's page."""

import pytest
from django.test import Client

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.handling.actions import do_share_help_request
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import (
    codename_from,
    latest_request,
    private_key,
    staff_client_with_keys,
    submit_request,
)
from safehaven.intake.tests.status_code_helpers import (
    choose,
    open_choose_step,
    referral_without_codename,
)

pytestmark = pytest.mark.django_db


def code_url(help_request: HelpRequest) -> str:
    return f"/en/staff/requests/{help_request.pk}/status-code/"


def request_url(help_request: HelpRequest) -> str:
    return f"/en/staff/requests/{help_request.pk}/"


def test_it_explains_then_shows_the_code_once_and_never_caches_it(world):
    help_request = referral_without_codename()
    triage = staff_client_with_keys(world, "triage")
    explained = triage.get(code_url(help_request))
    assert explained.status_code == 200
    assert "Make a one-time code" in explained.content.decode()
    assert 'id="status-code"' not in explained.content.decode()
    made = triage.post(code_url(help_request))
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    code = codename_from(made.content.decode())
    # Shown once: the next visit only says a code is waiting.
    again = triage.get(code_url(help_request)).content.decode()
    assert 'id="status-code"' not in again
    assert "A code was made before and not used yet." in again
    for word in code.split():
        assert f"<li>{word}</li>" not in again
    # The audit holds ids only, never the code.
    event = AuditEvent.objects.get(event_type=EventType.STATUS_CODE_ISSUED)
    assert event.actor == world.users["triage"]
    for row in AuditEvent.objects.all():
        assert code not in f"{row.detail} {row.target_ref}"
    # And the code works for the person.
    _codename, response = choose(open_choose_step(code))
    assert response.status_code == 302


def test_it_refuses_a_request_whose_person_has_a_codename(world):
    submit_request()
    help_request = latest_request()
    triage = staff_client_with_keys(world, "triage")
    assert "already has a codename" in triage.get(code_url(help_request)).content.decode()
    refused = triage.post(code_url(help_request))
    assert refused.status_code == 200
    assert "already has a codename" in refused.content.decode()
    assert 'id="status-code"' not in refused.content.decode()
    assert not AuditEvent.objects.filter(event_type=EventType.STATUS_CODE_ISSUED).exists()


def test_a_partner_may_never_make_or_see_a_code(world, partner_codes):
    help_request = referral_without_codename(referral_code=partner_codes["partner_a"])
    partner = staff_client_with_keys(world, "partner_a")
    assert partner.get(code_url(help_request)).status_code == 403
    assert partner.post(code_url(help_request)).status_code == 403
    help_request.refresh_from_db()
    assert help_request.codename_hash is None
    # Their request page offers no code either, once triage made one.
    code = codename_from(
        staff_client_with_keys(world, "triage").post(code_url(help_request)).content.decode()
    )
    for url in (request_url(help_request), "/en/staff/referrals/"):
        page = partner.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert 'id="status-code-link"' not in html
        for word in code.split():
            assert f"<li>{word}</li>" not in html


def test_a_caseworker_makes_a_code_only_for_a_request_shared_with_them(world):
    help_request = referral_without_codename()
    caseworker = staff_client_with_keys(world, "caseworker")
    assert caseworker.get(code_url(help_request)).status_code == 404
    do_share_help_request(
        help_request,
        to_user=world.users["caseworker"],
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    assert 'id="status-code-link"' in caseworker.get(request_url(help_request)).content.decode()
    made = caseworker.post(code_url(help_request))
    assert len(codename_from(made.content.decode()).split()) == 7


def test_it_asks_for_a_login_with_the_key_when_none_is_unlocked(world, staff_client):
    help_request = referral_without_codename()
    response = staff_client("triage").post(code_url(help_request))
    assert response.status_code == 200
    assert "Your key is not unlocked" in response.content.decode()
    help_request.refresh_from_db()
    assert help_request.codename_hash is None


def test_the_request_page_links_to_it_only_while_the_person_has_no_codename(world):
    triage = staff_client_with_keys(world, "triage")
    submit_request()
    with_codename = latest_request()
    without = referral_without_codename()
    assert 'id="status-code-link"' not in triage.get(request_url(with_codename)).content.decode()
    assert 'id="status-code-link"' in triage.get(request_url(without)).content.decode()
    code = codename_from(triage.post(code_url(without)).content.decode())
    # A code waits: a new one may still replace it.
    assert 'id="status-code-link"' in triage.get(request_url(without)).content.decode()
    choose(open_choose_step(code))
    assert 'id="status-code-link"' not in triage.get(request_url(without)).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(world):
    help_request = referral_without_codename()
    response = Client().get(code_url(help_request))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
