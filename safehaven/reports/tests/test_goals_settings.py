"""The reporting time zone: an administrator chooses it from the known zones; every case's
months are counted again in it; one audit event without the zone's name; a coerced
administrator changes nothing."""

import datetime
import uuid

import pytest
from django.utils import timezone

from safehaven.accounts.actions import ActionRefused
from safehaven.cases.choices import CaseState
from safehaven.cases.models import CaseTransition
from safehaven.cases.tests.helpers import bare_case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.models import UserKeyPair
from safehaven.reports.figures.refresh import refresh_case_figures
from safehaven.reports.figures.zones import reporting_zone
from safehaven.reports.goals.actions import do_change_reporting_settings
from safehaven.reports.models import CaseFigures, ReportingSettings
from safehaven.reports.tests.goals_helpers import SETTINGS_URL, events

pytestmark = pytest.mark.django_db


def test_it_sets_the_zone_with_one_event_that_does_not_name_it(world):
    assert str(reporting_zone(world.organisation)) == "UTC"
    do_change_reporting_settings(
        world.organisation, time_zone="America/Toronto", actor=world.users["admin"]
    )
    assert ReportingSettings.objects.get(organisation=world.organisation).time_zone == (
        "America/Toronto"
    )
    assert str(reporting_zone(world.organisation)) == "America/Toronto"
    (event,) = events(EventType.REPORTING_SETTINGS_CHANGED)
    assert "Toronto" not in event.detail
    assert event.organisation_id == world.organisation.pk


@pytest.mark.parametrize("name", ["", "Mars/Olympus_Mons", "EST5EDT", "posix/Europe/Paris"])
def test_it_refuses_a_zone_not_on_the_list(world, name):
    with pytest.raises(ActionRefused):
        do_change_reporting_settings(world.organisation, time_zone=name, actor=world.users["admin"])
    assert not ReportingSettings.objects.exists()


def test_it_counts_the_cases_months_again_in_the_new_zone(world):
    # Arrived at 03:00 UTC on 1 January 2025: still 31 December 2024 in Toronto.
    case = bare_case(world, received_month=datetime.date(2024, 11, 1), state=CaseState.ARRIVED)
    CaseTransition.objects.filter(case=case).delete()
    CaseTransition.objects.create(  # clear columns only: the figures read nothing sealed
        record_id=uuid.uuid4(),
        case=case,
        from_state=CaseState.IN_TRANSIT,
        to_state=CaseState.ARRIVED,
        at=datetime.datetime(2025, 1, 1, 3, tzinfo=datetime.UTC),
        actor=world.users["triage"],
    )
    refresh_case_figures(case.pk)
    assert CaseFigures.objects.get(case=case).arrived_month == datetime.date(2025, 1, 1)
    do_change_reporting_settings(
        world.organisation, time_zone="America/Toronto", actor=world.users["admin"]
    )
    assert CaseFigures.objects.get(case=case).arrived_month == datetime.date(2024, 12, 1)


def test_the_page_shows_the_zone_and_changes_it(world, staff_client):
    client = staff_client("admin")
    page = client.get(SETTINGS_URL).content.decode()
    assert '<option value="America/Toronto">America/Toronto</option>' in page
    assert '<option value="UTC" selected>UTC</option>' in page
    response = client.post(SETTINGS_URL, {"time_zone": "Asia/Kolkata"}, follow=True)
    assert "Reporting settings saved." in response.content.decode()
    assert ReportingSettings.objects.get().time_zone == "Asia/Kolkata"
    assert client.post(SETTINGS_URL, {"time_zone": "Nowhere/Else"}).context["form"].errors


@pytest.mark.parametrize("role", ["triage", "supervisor", "advocacy", "partner_a"])
def test_other_roles_may_not_change_it(world, staff_client, role):
    client = staff_client(role)
    assert client.get(SETTINGS_URL).status_code == 403
    assert client.post(SETTINGS_URL, {"time_zone": "Asia/Kolkata"}).status_code == 403
    assert not ReportingSettings.objects.exists()


def test_a_coerced_administrator_changes_nothing(world, staff_client):
    UserKeyPair.objects.filter(user=world.users["admin"]).update(suspended_at=timezone.now())
    client = staff_client("admin")
    before = AuditEvent.objects.count()
    response = client.post(SETTINGS_URL, {"time_zone": "Asia/Kolkata"}, follow=True)
    assert "Reporting settings saved." in response.content.decode()
    assert not ReportingSettings.objects.exists()
    assert AuditEvent.objects.count() == before
