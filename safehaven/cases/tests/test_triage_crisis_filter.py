"""The triage inbox within a crisis: ``?crisis=<id>`` shows only that crisis's requests, with
the status filter and the pages; anything but a crisis that exists gets the whole inbox and a
message, never an error page."""

import pytest
from django.test import Client

from safehaven.intake.choices import RequestStatus
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import latest_request, submit_request
from safehaven.intake.tests.test_request_place import record_crisis

pytestmark = pytest.mark.django_db
URL = "/en/staff/requests/"
NO_SUCH = "There is no such crisis: all requests are shown."


def link(help_request: HelpRequest) -> str:
    return f'href="/en/staff/requests/{help_request.pk}/"'


def triage_client(world) -> Client:
    client = Client()
    client.force_login(world.users["triage"])
    return client


@pytest.fixture
def two_crises(world):
    russia, kyrgyzstan = record_crisis(world, "RU"), record_crisis(world, "KG")
    submit_request(country="RU")
    in_russia = latest_request()
    submit_request(country="KG")
    in_kyrgyzstan = latest_request()
    submit_request(country="KZ")
    elsewhere = latest_request()
    return russia, kyrgyzstan, in_russia, in_kyrgyzstan, elsewhere


def test_it_shows_only_the_requests_of_the_chosen_crisis(world, two_crises):
    russia, _kyrgyzstan, in_russia, in_kyrgyzstan, elsewhere = two_crises
    client = triage_client(world)
    page = client.get(URL, {"crisis": russia.pk}).content.decode()
    assert link(in_russia) in page
    assert link(in_kyrgyzstan) not in page
    assert link(elsewhere) not in page
    assert f'<option value="{russia.pk}" selected>' in page
    assert "Only the requests of the crisis" in page
    page = client.get(URL).content.decode()
    assert all(link(item) in page for item in (in_russia, in_kyrgyzstan, elsewhere))


def test_it_keeps_the_crisis_with_the_status_filter_and_the_pages(world, two_crises):
    russia, _kyrgyzstan, in_russia, _in_kyrgyzstan, _elsewhere = two_crises
    HelpRequest.objects.filter(pk=in_russia.pk).update(status=RequestStatus.CLOSED)
    client = triage_client(world)
    page = client.get(URL, {"crisis": russia.pk}).content.decode()
    assert link(in_russia) not in page  # closed: not among the open requests
    assert f'?status={RequestStatus.CLOSED}&amp;crisis={russia.pk}"' in page
    page = client.get(URL, {"crisis": russia.pk, "status": RequestStatus.CLOSED}).content.decode()
    assert link(in_russia) in page
    assert f'<input type="hidden" name="status" value="{RequestStatus.CLOSED}">' in page


def test_it_carries_the_crisis_to_the_next_page(world, two_crises, monkeypatch):
    from safehaven.cases.triage import views

    russia, *_rest = two_crises
    submit_request(country="RU")
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    page = triage_client(world).get(URL, {"crisis": russia.pk}).content.decode()
    assert f'href="?page=2&amp;crisis={russia.pk}"' in page


@pytest.mark.parametrize("value", ["999999", "abc", "-1", "1.5", "²", "٣", "9" * 40, "1 OR 1=1"])
def test_it_shows_everything_with_a_message_for_a_crisis_that_does_not_exist(
    world, two_crises, value
):
    _russia, _kyrgyzstan, in_russia, in_kyrgyzstan, elsewhere = two_crises
    response = triage_client(world).get(URL, {"crisis": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert NO_SUCH in page
    assert all(link(item) in page for item in (in_russia, in_kyrgyzstan, elsewhere))


def test_it_is_still_refused_to_those_who_do_not_triage(world, two_crises):
    russia, *_rest = two_crises
    for username in ("caseworker", "partner_a", "advocacy"):
        client = Client()
        client.force_login(world.users[username])
        assert client.get(URL, {"crisis": russia.pk}).status_code == 403
