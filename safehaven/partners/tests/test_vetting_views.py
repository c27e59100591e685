"""The administrators' partner pages: the list, the vetting form and the suspension, through
real requests; other roles refused, other organisations not found."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safehaven.core.event_types import EventType
from safehaven.finance.tests.funds_helpers import mark_fresh
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.partners.choices import VettingStatus
from safehaven.partners.models import PartnerVetting
from safehaven.partners.tests.vetting_helpers import (
    equip_partner,
    events_of,
    is_logged_out,
    vetting_url,
)
from safehaven.partners.vetting.actions import do_change_partner_vetting
from safehaven.partners.vetting.queries import is_suspended

PAGES = ["partners-change-vetting", "partners-suspend-partner"]


def _admin(staff_client, world, *, fresh: bool = True):
    client = staff_client("admin")
    if fresh:
        mark_fresh(client, world.users["admin"], "password", "mfa")
    return client


@pytest.mark.django_db
def test_it_lists_partners_with_vetting_review_and_counts(world, staff_client):
    equip_partner(world, "partner_a", code="ALPHA-CODE-2")
    do_change_partner_vetting(
        world.partner_b,
        status=VettingStatus.VETTED,
        notes="Checked with two references.",
        review_on=timezone.localdate() - timedelta(days=1),
        actor=world.users["admin"],
    )
    response = staff_client("admin").get(reverse("partners-list-partners"))
    assert response.status_code == 200
    rows = {row.organisation.pk: row for row in response.context["rows"]}
    assert set(rows) == {world.partner_a.pk, world.partner_b.pk}  # no relocating organisation
    a, b = rows[world.partner_a.pk], rows[world.partner_b.pk]
    assert (a.vetting.status, a.members, a.api_tokens, a.referral_codes) == ("pending", 1, 1, 1)
    assert (b.vetting.status, b.api_tokens, b.referral_codes, b.overdue) == ("vetted", 0, 0, True)
    assert not a.overdue
    page = response.content.decode()
    assert "overdue" in page
    assert world.partner_a.name in page
    assert vetting_url("partners-suspend-partner", world.partner_a) in page


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["triage", "supervisor", "caseworker", "partner_a"])
def test_it_refuses_everyone_but_administrators(world, staff_client, username):
    client = staff_client(username)
    mark_fresh(client, world.users[username], "password", "mfa")
    assert client.get(reverse("partners-list-partners")).status_code == 403
    for name in PAGES:
        url = vetting_url(name, world.partner_a)
        assert client.get(url).status_code == 403
        assert client.post(url, {"status": "vetted", "confirm": "on"}).status_code == 403
    assert not PartnerVetting.objects.exists()


@pytest.mark.django_db
def test_it_finds_only_partner_organisations(world, staff_client):
    client = _admin(staff_client, world)
    for name in PAGES:
        assert client.get(vetting_url(name, world.organisation)).status_code == 404
        assert client.get(vetting_url(name, 999999)).status_code == 404
        assert client.post(
            vetting_url(name, world.organisation), {"confirm": "on"}
        ).status_code == (404)
    assert not PartnerVetting.objects.exists()


@pytest.mark.django_db
def test_it_changes_vetting_through_the_form_and_audits_it(world, staff_client):
    client = _admin(staff_client, world)
    url = vetting_url("partners-change-vetting", world.partner_a)
    page = client.get(url).content.decode()
    assert "Never name its members or the people it refers" in page
    response = client.post(
        url, {"status": "vetted", "notes": "Known network since 2017.", "review_on": "2031-05-01"}
    )
    assert response.status_code == 302
    vetting = PartnerVetting.objects.get(organisation=world.partner_a)
    assert vetting.status == VettingStatus.VETTED
    assert str(vetting.review_on) == "2031-05-01"
    assert vetting.changed_by == world.users["admin"]
    (event,) = events_of(EventType.PARTNER_VETTING_CHANGED)
    assert event.detail == "pending -> vetted"
    assert "Known network" not in event.detail


@pytest.mark.django_db
def test_it_refuses_a_bad_vetting_form(world, staff_client):
    client = _admin(staff_client, world)
    url = vetting_url("partners-change-vetting", world.partner_a)
    for data in [{"status": "suspended"}, {"status": "vetted", "review_on": "soon"}]:
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not PartnerVetting.objects.exists()


@pytest.mark.django_db
def test_it_asks_for_both_factors_before_suspending(world, staff_client):
    client = _admin(staff_client, world, fresh=False)
    url = vetting_url("partners-suspend-partner", world.partner_a)
    assert client.get(url).status_code == 302
    assert client.post(url, {"confirm": "on"}).status_code == 302
    mark_fresh(client, world.users["admin"], "password")  # the password alone is not enough
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not is_suspended(world.partner_a)


@pytest.mark.django_db
def test_it_suspends_after_confirmation_and_logs_the_partner_out(world, staff_client):
    partner = staff_client_with_keys(world, "partner_a")
    client = _admin(staff_client, world)
    url = vetting_url("partners-suspend-partner", world.partner_a)
    page = client.get(url)
    assert page.status_code == 200
    assert "cannot be taken back" in page.content.decode()
    assert page.context["preview"].members_suspended == 1

    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 200
    assert unconfirmed.context["form"].errors
    assert not is_suspended(world.partner_a)

    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("partners-list-partners")
    assert is_suspended(world.partner_a)
    assert is_logged_out(partner)
    assert len(events_of(EventType.PARTNER_SUSPENDED)) == 1

    # A second time: refused, with a clear message, and nothing recorded.
    again = client.get(url).content.decode()
    assert "cannot be suspended twice" in again
    refused = client.post(url, {"confirm": "on"})
    assert refused.status_code == 200
    assert "already suspended" in refused.content.decode()
    assert len(events_of(EventType.PARTNER_SUSPENDED)) == 1
    # Nor is the vetting form a way back.
    back = client.post(
        vetting_url("partners-change-vetting", world.partner_a), {"status": "vetted"}
    )
    assert back.status_code == 200
    assert "is suspended" in back.content.decode()
    assert is_suspended(world.partner_a)


@pytest.mark.django_db
def test_the_organisations_page_links_to_the_partner_list(world, staff_client):
    page = staff_client("admin").get(reverse("accounts-list-organisations")).content.decode()
    assert reverse("partners-list-partners") in page
