"""The staff side of a referral's messages: triage, supervisors and the case's caseworker read
them and answer; a caseworker the request is not shared with gets 404, partners 403; a request
no partner referred has none (404); the case page's panel says whether the partner wrote."""

import pytest
from django.test import Client

from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import AssignmentRole
from safehaven.cases.opening.actions import do_accept_help_request
from safehaven.intake.tests.helpers import latest_request, private_key, submit_request
from safehaven.partners.choices import MessageDirection
from safehaven.partners.models import ReferralMessage
from safehaven.partners.tests.portal_helpers import logged_in, refer, show_url, staff_messages_url

pytestmark = pytest.mark.django_db
HELLO = "Partner-Hello-Larkspur"


def partner_writes(world, referral) -> None:
    client = logged_in(world, "partner_a")
    assert client.post(f"{show_url(referral)}messages/", {"body": HELLO}).status_code == 302


def test_the_cases_caseworker_reads_and_answers(world):
    referral = refer(world)
    partner_writes(world, referral)
    worker = logged_in(world, "caseworker")
    assert worker.get(staff_messages_url(referral)).status_code == 404  # not shared yet
    case = do_accept_help_request(
        referral, reason="Accepted.", actor=world.users["triage"], private_key=private_key("triage")
    )
    do_assign_case(
        case,
        user=world.users["caseworker"],
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    page = worker.get(staff_messages_url(referral)).content.decode()
    assert HELLO in page
    assert worker.post(staff_messages_url(referral), {"body": "Noted."}).status_code == 302
    answer = ReferralMessage.objects.get(direction=MessageDirection.FROM_STAFF)
    assert answer.author == world.users["caseworker"]

    case_page = worker.get(f"/en/staff/cases/{case.pk}/").content.decode()
    panel = case_page.split('id="partner-messages"')[1].split("</section>")[0]
    assert staff_messages_url(referral) in panel
    assert "the partner wrote 1 message" in panel
    assert "waiting for an answer" not in panel
    assert HELLO not in case_page


def test_the_panel_says_when_the_partner_waits_for_an_answer(world):
    referral = refer(world)
    partner_writes(world, referral)
    case = do_accept_help_request(
        referral, reason="Accepted.", actor=world.users["triage"], private_key=private_key("triage")
    )
    html = logged_in(world, "triage").get(f"/en/staff/cases/{case.pk}/").content.decode()
    assert "waiting for an answer" in html.split('id="partner-messages"')[1]


def test_the_panel_is_absent_for_a_case_without_referrals(world):
    submit_request()
    case = do_accept_help_request(
        latest_request(),
        reason="Accepted.",
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    html = logged_in(world, "triage").get(f"/en/staff/cases/{case.pk}/").content.decode()
    assert 'id="partner-messages"' not in html


def test_a_request_no_partner_referred_has_no_partner_messages(world):
    submit_request()
    client = logged_in(world, "triage")
    assert client.get(staff_messages_url(latest_request())).status_code == 404


def test_an_empty_answer_is_refused(world):
    referral = refer(world)
    response = logged_in(world, "triage").post(staff_messages_url(referral), {"body": ""})
    assert response.status_code == 200
    assert "Please fill this in." in response.content.decode()
    assert not ReferralMessage.objects.exists()


@pytest.mark.parametrize(("username", "status"), [("finance", 403), ("interpreter", 403)])
def test_other_roles_are_refused(world, username, status):
    referral = refer(world)
    client = Client()
    client.force_login(world.users[username])
    assert client.get(staff_messages_url(referral)).status_code == status


def test_the_request_page_links_staff_to_the_partner_messages(world):
    referral = refer(world)
    link = f'href="{staff_messages_url(referral)}"'
    request_url = f"/en/staff/requests/{referral.pk}/"
    assert link in logged_in(world, "triage").get(request_url).content.decode()
    assert link not in logged_in(world, "partner_a").get(request_url).content.decode()
