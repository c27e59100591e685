"""The portal's list of referrals: the member's own organisation's, newest first, with the month,
the channel and a neutral status, never what is sealed; staff 403, a duress session 404."""

import pytest
from django.test import Client

from safehaven.accounts.tests.duress_logins import DURESS
from safehaven.accounts.tests.duress_logins import log_in as log_in_with
from safehaven.intake.models import HelpRequest
from safehaven.keys.actions.duress import do_set_duress_password
from safehaven.partners.choices import VettingStatus
from safehaven.partners.models import PartnerVetting
from safehaven.partners.tests.portal_helpers import NAME, STORY, logged_in, refer, show_url

pytestmark = pytest.mark.django_db
LIST_URL = "/en/partners/referrals/"


def test_it_lists_the_organisations_referrals_newest_first_without_sealed_data(world):
    older = refer(world)
    newer = refer(world, situation="Another story entirely.")
    HelpRequest.objects.filter(pk=newer.pk).update(status="reviewing")
    html = logged_in(world, "partner_a").get(LIST_URL).content.decode()
    assert html.index(show_url(newer)) < html.index(show_url(older))
    assert "<td>Partner portal</td>" in html  # the channel
    assert "Being reviewed" in html  # the neutral status
    assert older.received_month.strftime("%B %Y") in html
    assert STORY not in html
    assert NAME not in html
    assert "@portal_heron" not in html


def test_it_never_lists_another_organisations_referrals(world):
    theirs = refer(world, "partner_b")
    html = logged_in(world, "partner_a").get(LIST_URL).content.decode()
    assert show_url(theirs) not in html
    assert "referred nobody yet" in html


@pytest.mark.parametrize("username", ["triage", "supervisor", "caseworker", "admin", "finance"])
def test_it_refuses_staff_roles(world, username):
    client = Client()
    client.force_login(world.users[username])
    for url in (LIST_URL, "/en/partners/refer/", "/en/partners/import/"):
        assert client.get(url).status_code == 403, url


def test_it_sends_anonymous_visitors_to_log_in(world):
    response = Client().get(LIST_URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_shows_nothing_in_a_duress_session(world):
    referral = refer(world)
    partner = world.users["partner_a"]
    do_set_duress_password(partner, DURESS, actor=partner)
    coerced = log_in_with(world, "partner_a", DURESS)
    assert coerced.get(LIST_URL).status_code == 404
    assert coerced.get(show_url(referral)).status_code == 404
    assert coerced.get("/en/partners/refer/").status_code == 404


def test_it_points_the_partner_home_step_at_the_list(world):
    html = logged_in(world, "partner_a").get("/en/staff/").content.decode()
    assert f'href="{LIST_URL}"' in html
    assert "People your organisation referred, and where they stand." in html


def test_a_suspended_organisations_member_opens_nothing(world):
    referral = refer(world)
    client = logged_in(world, "partner_a")
    PartnerVetting.objects.create(organisation=world.partner_a, status=VettingStatus.SUSPENDED)
    assert client.get(LIST_URL).status_code == 403
    assert client.get(show_url(referral)).status_code == 403
    assert client.post(f"{show_url(referral)}messages/", {"body": "hi"}).status_code == 403
    assert client.get("/en/partners/refer/").status_code == 403
