"""Opening a case from a request's staff page: accept into a new case, join a household."""

import pytest

from safehaven.cases.models import Case, CasePerson
from safehaven.cases.tests.helpers import open_case, primary_request
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import latest_request, staff_client_with_keys, submit_request

pytestmark = pytest.mark.django_db


def show_url(help_request: HelpRequest) -> str:
    return f"/en/staff/requests/{help_request.pk}/"


def test_it_accepts_a_request_into_a_new_case_and_links_to_it(world):
    submit_request()
    help_request = latest_request()
    client = staff_client_with_keys(world, "triage")
    page = client.get(show_url(help_request)).content.decode()
    assert "Accept into a new case" in page
    assert 'id="attachments"' in page  # the person's document photos, none yet
    response = client.post(show_url(help_request) + "accept/", {"reason": "Clear danger."})
    assert response.status_code == 302
    case = Case.objects.get()
    assert primary_request(case) == help_request
    page = client.get(show_url(help_request)).content.decode()
    assert f"Case #{case.pk} opened." in page
    assert 'id="request-case"' in page
    assert "Accept into a new case" not in page


def test_it_keeps_the_reason_and_says_why_it_refuses_a_request_in_a_case(world):
    case = open_case(world)
    help_request = primary_request(case)
    client = staff_client_with_keys(world, "supervisor")
    response = client.post(show_url(help_request) + "accept/", {"reason": "Typed twice."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This request is already part of a case." in page
    assert Case.objects.count() == 1


def test_it_asks_for_a_reason_to_accept(world):
    submit_request()
    client = staff_client_with_keys(world, "triage")
    response = client.post(show_url(latest_request()) + "accept/", {"reason": ""})
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_it_joins_a_request_to_an_existing_case(world):
    case = open_case(world)
    submit_request(situation="My partner asked too.")
    other = latest_request()
    client = staff_client_with_keys(world, "triage")
    response = client.post(show_url(other) + "join/", {"case_number": case.pk})
    assert response.status_code == 302
    assert CasePerson.objects.get(help_request=other).case == case
    assert f"The request joined case #{case.pk}." in client.get(show_url(other)).content.decode()


def test_it_refuses_to_join_to_a_case_that_is_not_there(world):
    submit_request()
    client = staff_client_with_keys(world, "triage")
    response = client.post(show_url(latest_request()) + "join/", {"case_number": 999999})
    assert response.status_code == 200
    assert "There is no case with this number among yours." in response.content.decode()
    assert not CasePerson.objects.exists()


@pytest.mark.parametrize("role", ["caseworker", "finance", "admin"])
def test_it_refuses_roles_that_do_not_manage_cases(world, staff_client, role):
    submit_request()
    help_request = latest_request()
    client = staff_client(role)
    assert client.post(show_url(help_request) + "accept/", {"reason": "x"}).status_code == 403
    assert client.post(show_url(help_request) + "join/", {"case_number": 1}).status_code == 403
    assert not Case.objects.exists()


def test_it_shows_no_case_forms_to_a_referring_partner(world, partner_codes):
    submit_request(referral_code=partner_codes["partner_a"])
    help_request = latest_request()
    client = staff_client_with_keys(world, "partner_a")
    page = client.get(show_url(help_request)).content.decode()
    assert "Accept into a new case" not in page
    assert client.post(show_url(help_request) + "accept/", {"reason": "x"}).status_code == 403
