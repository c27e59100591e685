"""The partner organisations of a crisis: chosen on its form among partners only, set by the
actions, audited by id, listed."""

import datetime

import pytest
from django.urls import reverse

from safehaven.accounts.actions import ActionRefused
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.countries.crises.actions import CrisisDetails, do_change_crisis, do_record_crisis
from safehaven.countries.models import Country, Crisis
from safehaven.countries.tests.test_crises import crisis_data

pytestmark = pytest.mark.django_db


def details(**changes):
    values = {
        "name": "Raids in Grozny",
        "countries": [Country.objects.get(pk="RU")],
        "regions": [],
        "starts_on": datetime.date(2026, 11, 1),
        **changes,
    }
    return CrisisDetails(**values)


def test_it_records_and_changes_the_partners_through_the_form(world, staff_client):
    client = staff_client("admin")
    response = client.post(
        reverse("countries-record-crisis"),
        crisis_data(partner_organisations=[world.partner_a.pk, world.partner_b.pk]),
    )
    assert response.status_code == 302
    crisis = Crisis.objects.get()
    assert set(crisis.partner_organisations.all()) == {world.partner_a, world.partner_b}
    page = client.get(reverse("countries-list-crises")).content.decode()
    assert world.partner_a.name in page
    assert world.partner_b.name in page
    url = reverse("countries-change-crisis", args=[crisis.pk])
    form_page = client.get(url).content.decode()
    assert f'value="{world.partner_a.pk}" selected' in form_page
    client.post(url, crisis_data(partner_organisations=[world.partner_b.pk]))
    assert list(crisis.partner_organisations.all()) == [world.partner_b]
    client.post(url, crisis_data())
    assert not crisis.partner_organisations.exists()


def test_it_offers_and_accepts_only_partner_organisations(world, staff_client):
    client = staff_client("admin")
    form_page = client.get(reverse("countries-record-crisis")).content.decode()
    assert world.partner_a.name in form_page
    assert world.organisation.name not in form_page.split('name="partner_organisations"')[1]
    response = client.post(
        reverse("countries-record-crisis"),
        crisis_data(partner_organisations=[world.organisation.pk]),
    )
    assert response.status_code == 200
    assert not Crisis.objects.exists()


def test_it_refuses_a_relocating_organisation_in_the_action_too(world):
    with pytest.raises(ActionRefused, match="Only partner organisations"):
        do_record_crisis(
            details(partner_organisations=[world.organisation]), actor=world.users["admin"]
        )
    assert not Crisis.objects.exists()
    crisis = do_record_crisis(details(), actor=world.users["admin"])
    with pytest.raises(ActionRefused):
        do_change_crisis(
            crisis, details(partner_organisations=[world.organisation]), actor=world.users["admin"]
        )
    assert not crisis.partner_organisations.exists()


def test_it_audits_the_partners_by_id_and_nothing_typed(world):
    admin = world.users["admin"]
    crisis = do_record_crisis(details(partner_organisations=[world.partner_a]), actor=admin)
    do_change_crisis(crisis, details(name="Renamed", partner_organisations=[]), actor=admin)
    recorded, changed = AuditEvent.objects.filter(
        event_type__in=[EventType.CRISIS_RECORDED, EventType.CRISIS_CHANGED]
    ).order_by("pk")
    assert recorded.detail == f"RU; partners {world.partner_a.pk}"
    assert changed.detail == "RU; partners none"
    for event in (recorded, changed):
        assert "Raids" not in event.detail
        assert "Renamed" not in event.detail
        assert world.partner_a.name not in event.detail
