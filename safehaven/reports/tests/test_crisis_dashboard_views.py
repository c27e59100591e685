"""The crisis dashboard's pages, with real logins: who may open them, what they count, and
that nothing on them names a person or points at a request or a case (real requests with
sentinels in their sealed fields); a coerced login counts nothing."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from safehaven.accounts.tests.duress_logins import log_in as log_in_with
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.cases.choices import CaseState
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import staff_client_with_keys, submit_request
from safehaven.keys.actions.duress import do_set_duress_password
from safehaven.reports.crisis_dashboard.views import counter_day
from safehaven.reports.tests.crisis_dashboard_helpers import (
    assign,
    count_inflow,
    make_crisis,
    tagged_case,
)

pytestmark = pytest.mark.django_db
STORY = "Sentinel-Crisis-Story-Marlowe"
CONTACT = "@sentinel_crisis_wren"
COERCED = "a coerced phrase of nine words 7731"


def dashboard_url(crisis) -> str:
    return reverse("reports-show-crisis", kwargs={"crisis_id": crisis.pk})


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def surge(world):
    """An open crisis in Russia with partner A, two real requests sent from there through the
    public form (one referred by partner A), a case assigned to the caseworker."""
    crisis = make_crisis(
        world.users["admin"],
        starts_on=counter_day() - datetime.timedelta(days=3),
        partners=[world.partner_a],
    )
    submit_request(situation=f"{STORY} wrote this.", contact_telegram=CONTACT)
    submit_request(situation=f"{STORY} again.", contact_signal="+7 900 111-22-33")
    first = HelpRequest.objects.filter(crisis=crisis).earliest("pk")
    HelpRequest.objects.filter(pk=first.pk).update(referred_by=world.partner_a)
    count_inflow(crisis, counter_day(), 2)
    case = tagged_case(crisis, world.organisation, month=counter_day().replace(day=1))
    assign(case, world.users["caseworker"])
    return crisis


def test_it_shows_the_counts_of_a_crisis(world, surge):
    assert HelpRequest.objects.filter(crisis=surge).count() == 2  # tagged on arrival
    client = staff_client_with_keys(world, "triage")
    response = client.get(dashboard_url(surge))
    assert response.status_code == 200
    page = text(response)
    assert '<strong id="inflow-today">2</strong>' in page
    assert '<td id="request-backlog-total">2</td>' in page
    assert '<td id="case-backlog-total">1</td>' in page
    assert "<svg" in page
    assert 'class="chart-table"' in page
    assert f"?crisis={surge.pk}" in page
    assert reverse("cases-list-cases") in page
    assert reverse("cases-list-requests") in page
    assert world.partner_a.name in page
    assert "style=" not in page  # the CSP forbids inline styles
    assert "caseworker" in page  # a staff name, with how many open cases


def test_it_links_to_the_lists_only_those_who_may_open_them(world, surge, staff_client):
    page = text(staff_client("advocacy").get(dashboard_url(surge)))
    assert "crisis-requests-link" not in page
    assert "crisis-cases-link" not in page
    page = text(staff_client("supervisor").get(dashboard_url(surge)))
    assert f'href="{reverse("cases-list-requests")}?crisis={surge.pk}"' in page
    assert f'href="{reverse("cases-list-cases")}?crisis={surge.pk}"' in page


@pytest.mark.parametrize("username", ["advocacy", "triage"])
def test_it_shows_counts_never_identities(world, surge, username):
    client = staff_client_with_keys(world, username)
    ids = [str(pk) for pk in HelpRequest.objects.values_list("pk", flat=True)]
    # The counts, as for anyone who reads reports...
    assert '<td id="request-backlog-total">2</td>' in text(client.get(dashboard_url(surge)))
    # ...and nothing of who asked, nor a way to their requests or cases.
    for url in (dashboard_url(surge), reverse("reports-list-crises")):
        page = text(client.get(url))
        for secret in (STORY, CONTACT, "+7 900"):
            assert secret not in page
        for request_id in ids:
            assert f"/staff/requests/{request_id}/" not in page
        assert "/staff/cases/" not in page.replace(reverse("cases-list-cases"), "")


def test_it_lists_the_crises_with_their_requests_so_far(world, surge, staff_client):
    ended = make_crisis(
        world.users["admin"],
        "Over",
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2020, 2, 1),
    )
    page = text(staff_client("advocacy").get(reverse("reports-list-crises")))
    assert page.index(dashboard_url(surge)) < page.index(dashboard_url(ended))
    assert '<td class="requests-so-far">2</td>' in page
    assert "Russia" in page
    assert "ongoing" in page


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("admin", 200),
        ("supervisor", 200),
        ("triage", 200),
        ("advocacy", 200),
        ("caseworker", 403),
        ("finance", 403),
        ("interpreter", 403),
        ("partner_a", 403),
    ],
)
def test_it_lets_only_report_readers_in(world, surge, staff_client, username, status):
    client = staff_client(username)
    assert client.get(reverse("reports-list-crises")).status_code == status
    assert client.get(dashboard_url(surge)).status_code == status


def test_it_sends_strangers_to_log_in_and_refuses_posts(world, surge, staff_client):
    response = Client().get(dashboard_url(surge))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert staff_client("admin").post(dashboard_url(surge)).status_code == 405


def test_it_does_not_know_a_crisis_that_does_not_exist(world, staff_client):
    url = reverse("reports-show-crisis", kwargs={"crisis_id": 999999})
    assert staff_client("advocacy").get(url).status_code == 404
    assert staff_client("caseworker").get(url).status_code == 403


def test_it_counts_only_the_cases_of_the_readers_organisation(world, surge, staff_client):
    # A partner's member is no reader, but their organisation's cases never count for ours.
    tagged_case(surge, world.partner_b, month=counter_day().replace(day=1))
    page = text(staff_client("supervisor").get(dashboard_url(surge)))
    assert '<td id="case-backlog-total">1</td>' in page


def test_it_counts_nothing_in_a_coerced_session(world, surge):
    advocacy = world.users["advocacy"]
    do_set_duress_password(advocacy, COERCED, actor=advocacy)
    coerced = log_in_with(world, "advocacy", COERCED)
    page = text(coerced.get(dashboard_url(surge)))
    assert '<strong id="inflow-today">0</strong>' in page
    assert '<td id="request-backlog-total">0</td>' in page
    assert '<td id="case-backlog-total">0</td>' in page
    assert "No open case of this crisis is assigned yet." in page
    listing = text(coerced.get(reverse("reports-list-crises")))
    assert '<td class="requests-so-far">0</td>' in listing
    # Their keys stay suspended until two administrators restore them: the coercer who then
    # demands the real password sees the same nothing.
    again = text(log_in_with(world, "advocacy", TEST_PASSWORD).get(dashboard_url(surge)))
    assert '<strong id="inflow-today">0</strong>' in again
    # Another reader, not coerced, sees the real figures.
    real = text(log_in_with(world, "supervisor", TEST_PASSWORD).get(dashboard_url(surge)))
    assert '<strong id="inflow-today">2</strong>' in real


def test_it_leaves_out_cases_past_verification_from_the_backlog(world, surge, staff_client):
    tagged_case(
        surge, world.organisation, month=counter_day().replace(day=1), state=CaseState.PLANNING
    )
    page = text(staff_client("triage").get(dashboard_url(surge)))
    assert '<td id="case-backlog-total">1</td>' in page
    assert '<strong id="unassigned-cases">1</strong>' in page
