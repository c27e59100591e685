import pytest
from django.urls import reverse
from django.utils import timezone

from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.countries.models import Crisis
from safehaven.keys.models import UserKeyPair


def crisis_data(**changes):
    return {
        "name": "Raids in Grozny",
        "countries": ["RU"],
        "regions": ["RU-CE"],
        "starts_on": "2026-11-01",
        **changes,
    }


def test_it_lets_an_administrator_record_and_change_a_crisis(staff_client):
    client = staff_client("admin")
    response = client.post(reverse("countries-record-crisis"), crisis_data())
    assert response.status_code == 302
    crisis = Crisis.objects.get()
    assert [r.code for r in crisis.regions.all()] == ["RU-CE"]
    url = reverse("countries-change-crisis", args=[crisis.pk])
    response = client.post(url, crisis_data(ends_on="2026-12-01"))
    assert response.status_code == 302
    crisis.refresh_from_db()
    assert str(crisis.ends_on) == "2026-12-01"
    events = AuditEvent.objects.filter(
        event_type__in=[EventType.CRISIS_RECORDED, EventType.CRISIS_CHANGED]
    )
    assert events.count() == 2
    assert "Raids in Grozny" in client.get(reverse("countries-list-crises")).content.decode()


def test_it_refuses_a_crisis_ending_before_it_starts(staff_client):
    response = staff_client("admin").post(
        reverse("countries-record-crisis"), crisis_data(ends_on="2026-01-01")
    )
    assert "A crisis cannot end before it starts." in response.content.decode()
    assert not Crisis.objects.exists()


def test_it_refuses_a_region_outside_the_crisis_countries(staff_client):
    response = staff_client("admin").post(
        reverse("countries-record-crisis"), crisis_data(countries=["NG"])
    )
    assert "Each region must be in one of the crisis" in response.content.decode()


@pytest.mark.parametrize("role", ["triage", "supervisor", "caseworker"])
def test_it_refuses_crises_to_anyone_but_an_administrator(staff_client, role):
    client = staff_client(role)
    assert client.get(reverse("countries-list-crises")).status_code == 403
    assert client.post(reverse("countries-record-crisis"), crisis_data()).status_code == 403


def test_it_pretends_to_record_and_change_crises_in_a_duress_session(world, staff_client):
    crisis = Crisis.objects.create(
        name="Raids", starts_on="2026-10-01", created_by=world.users["admin2"]
    )
    # A duress login suspends the key pair; every later session of the user is a duress one.
    UserKeyPair.objects.filter(user=world.users["admin"]).update(suspended_at=timezone.now())
    client = staff_client("admin")
    events = AuditEvent.objects.count()
    response = client.post(reverse("countries-record-crisis"), crisis_data(), follow=True)
    assert "Crisis recorded." in response.content.decode()
    url = reverse("countries-change-crisis", args=[crisis.pk])
    response = client.post(url, crisis_data(ends_on="2026-12-01"), follow=True)
    assert "Crisis changed." in response.content.decode()
    assert list(Crisis.objects.values_list("name", "ends_on")) == [("Raids", None)]
    assert AuditEvent.objects.count() == events
