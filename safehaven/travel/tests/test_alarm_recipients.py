"""Who an alert reaches, sees it and may acknowledge it (travel.alarms.notices, queries;
travel.on_call.queries): a caseworker only while a caseworker of the case's organisation,
never someone whose keys a duress login suspended (the alert goes straight to the next
person), and only roles that may see case numbers on the rota."""

import datetime

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from safehaven.accounts.actions import do_remove_membership
from safehaven.accounts.models import Membership, Organisation, OrganisationKind, Role
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.keys.actions.duress import do_suspend_keys_for_duress
from safehaven.travel.alarms.actions import do_acknowledge_alert, do_raise_alert
from safehaven.travel.alarms.notices import deliver_alert_notices, people_to_tell
from safehaven.travel.alarms.pages import alerts_home_section
from safehaven.travel.alarms.queries import alerts_for
from safehaven.travel.choices import AlertKind
from safehaven.travel.models import JourneyAlert
from safehaven.travel.on_call.queries import is_reachable, on_call_now
from safehaven.travel.tests.alarm_helpers import (
    alerts_of,
    expected_check_in,
    in_transit_case,
    mailed_to,
    notified_at,
    on_call,
    usernames,
    watch,
)

pytestmark = pytest.mark.django_db


def raised_alert(world, case=None) -> JourneyAlert:
    case = case or missed_journey(world)
    mail.outbox.clear()
    assert watch().raised == 1
    (alert,) = alerts_of(case)
    return alert


def missed_journey(world):
    case = in_transit_case(world)
    expected_check_in(case)
    return case


def usernames_told(alert: JourneyAlert) -> list[str]:
    return sorted(user.username for user in people_to_tell(alert, timezone.now()))


def remove_from_organisation(world, username: str) -> None:
    """What an administrator does when someone leaves: their assignment rows stay."""
    for membership in Membership.objects.filter(
        user=world.users[username], organisation=world.organisation
    ):
        do_remove_membership(membership=membership, actor=world.users["admin"])


# --- A caseworker removed from the organisation --------------------------------------------


def test_a_caseworker_removed_from_the_organisation_is_no_longer_told_or_shown(world, staff_client):
    worker = world.users["caseworker"]
    elsewhere = Organisation.objects.create(
        name="Elsewhere", kind=OrganisationKind.RELOCATING, country="DE"
    )
    Membership.objects.create(user=worker, organisation=elsewhere, role=Role.CASEWORKER)
    case = in_transit_case(world)
    expected_check_in(case)
    remove_from_organisation(world, "caseworker")
    assert watch().raised == 1
    (alert,) = alerts_of(case)
    assert "caseworker" not in usernames(mailed_to())
    mail.outbox.clear()
    deliver_alert_notices(alert.pk)
    assert usernames(mailed_to()) == ["supervisor"]
    assert not alerts_for(worker, timezone.now()).exists()
    with pytest.raises(CaseActionRefused):
        do_acknowledge_alert(alert, actor=worker)
    url = reverse(
        "travel-acknowledge-alert", kwargs={"case_id": alert.case_id, "alert_id": alert.pk}
    )
    assert staff_client("caseworker").post(url).status_code == 404
    assert (
        f"case #{alert.case_id}"
        not in staff_client("caseworker").get("/en/staff/").content.decode()
    )
    assert JourneyAlert.objects.get(pk=alert.pk).acknowledged_at is None


def test_a_caseworker_whose_role_there_changed_is_no_longer_the_cases_caseworker(world):
    alert = raised_alert(world)
    Membership.objects.filter(user=world.users["caseworker"]).update(role=Role.FINANCE)
    assert "caseworker" not in usernames_told(alert)
    assert not alerts_for(world.users["caseworker"], timezone.now()).exists()


# --- A staff member under duress -----------------------------------------------------------


def test_someone_under_duress_is_skipped_on_the_rota_and_never_told(world):
    case = missed_journey(world)
    on_call(world, "triage", 1)
    on_call(world, "supervisor", 2)
    do_suspend_keys_for_duress(world.users["triage"], actor=world.users["triage"])
    now = timezone.now()
    assert [user.username for user in on_call_now(world.organisation, now)] == ["supervisor"]
    alert = raised_alert(world, case)
    # Straight to the next person: no 30 minutes lost on a phone a coercer may hold.
    assert sorted(usernames(mailed_to())) == ["caseworker", "supervisor"]
    assert not is_reachable(world.users["triage"])
    assert not alerts_for(world.users["triage"], now).exists()
    with pytest.raises(CaseActionRefused):
        do_acknowledge_alert(alert, actor=world.users["triage"])
    mail.outbox.clear()
    # Escalated past the one reachable person: the supervisors, never the coerced one.
    watch(now=notified_at(alert) + datetime.timedelta(minutes=30))
    assert usernames(mailed_to()) == ["supervisor"]


def test_a_caseworker_or_supervisor_under_duress_is_never_told(world):
    case = missed_journey(world)
    on_call(world, "admin", 1)
    do_suspend_keys_for_duress(world.users["caseworker"], actor=world.users["caseworker"])
    do_suspend_keys_for_duress(world.users["supervisor"], actor=world.users["supervisor"])
    alert = raised_alert(world, case)
    assert usernames(mailed_to()) == ["admin"]
    mail.outbox.clear()
    watch(now=notified_at(alert) + datetime.timedelta(minutes=30))
    assert usernames(mailed_to()) == ["admin"]  # the rota's last person; no supervisor left
    assert not alerts_for(world.users["caseworker"], timezone.now()).exists()
    assert not alerts_for(world.users["supervisor"], timezone.now()).exists()


# --- Roles that never see case numbers ------------------------------------------------------


@pytest.mark.parametrize("username", ["advocacy", "finance"])
def test_advocacy_and_finance_on_the_rota_see_no_case_number(world, username):
    # A shift left from before, or a database writer's: it does not count.
    on_call(world, username, 1)
    alert = raised_alert(world)
    assert username not in usernames(mailed_to())
    assert username not in usernames_told(alert)
    user = world.users[username]
    assert not alerts_for(user, timezone.now()).exists()
    assert alerts_home_section(RequestFactory().get("/"), user) is None
    with pytest.raises(CaseActionRefused):
        do_acknowledge_alert(alert, actor=user)


# --- Danger check-ins outside any window ----------------------------------------------------


def test_one_waiting_alert_without_a_check_in_per_case(world):
    case, other = in_transit_case(world), in_transit_case(world)
    first = do_raise_alert(case, expected=None, kind=AlertKind.RAISED)
    assert first is not None
    assert do_raise_alert(case, expected=None, kind=AlertKind.RAISED) is None
    assert do_raise_alert(other, expected=None, kind=AlertKind.RAISED) is not None
    do_acknowledge_alert(first, actor=world.users["supervisor"])
    assert do_raise_alert(case, expected=None, kind=AlertKind.RAISED) is not None
    assert JourneyAlert.objects.filter(case=case).count() == 2
