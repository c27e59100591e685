"""Journey alerts on the staff home page and the case page, and acknowledging them there
(travel.alarms.pages and views): clear columns only, a link to the case only for those who
may open it, the acknowledge button for those who may acknowledge."""

import datetime

import pytest
from django.urls import reverse

from safehaven.accounts.tests.duress_logins import DURESS, log_in, make_coerced
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.travel.models import JourneyAlert
from safehaven.travel.tests.alarm_helpers import (
    PLACE,
    alerts_of,
    expected_check_in,
    in_transit_case,
    notified_at,
    on_call,
    watch,
)

pytestmark = pytest.mark.django_db

HOME = "/en/staff/"


def raised_alert(world) -> JourneyAlert:
    case = in_transit_case(world)
    expected_check_in(case)
    watch()
    (alert,) = alerts_of(case)
    return alert


def acknowledge_url(alert: JourneyAlert) -> str:
    return reverse(
        "travel-acknowledge-alert", kwargs={"case_id": alert.case_id, "alert_id": alert.pk}
    )


def case_url(alert: JourneyAlert) -> str:
    return reverse("cases-show-case", kwargs={"case_id": alert.case_id})


def page(client, url: str = HOME) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_caseworker_the_alert_with_a_link_and_the_button(world, staff_client):
    alert = raised_alert(world)
    html = page(staff_client("caseworker"))
    assert f'id="journey-alert-{alert.pk}"' in html
    assert f"Alert on case #{alert.case_id}</a>" in html
    assert f'href="{case_url(alert)}#journey-alerts-panel"' in html
    assert "An expected check-in was missed" in html
    assert f'action="{acknowledge_url(alert)}"' in html
    assert PLACE not in html


def test_it_shows_someone_on_call_the_alert_without_a_link_to_a_case_they_cannot_open(
    world, staff_client
):
    alert = raised_alert(world)
    on_call(world, "admin", 1)
    html = page(staff_client("admin"))
    assert "You are on call now." in html
    assert f"Alert on case #{alert.case_id}</strong>" in html
    assert f'href="{case_url(alert)}' not in html
    assert f'action="{acknowledge_url(alert)}"' in html
    assert PLACE not in html


def test_it_shows_no_alert_to_staff_not_concerned(world, staff_client):
    alert = raised_alert(world)
    html = page(staff_client("admin"))
    assert "No alert is waiting for you." in html
    assert f"journey-alert-{alert.pk}" not in html
    assert 'id="on-call-rota-link"' in html


@pytest.mark.parametrize("username", ["finance", "advocacy", "interpreter", "partner_a"])
def test_it_shows_no_alerts_section_to_roles_never_on_call(world, staff_client, username):
    alert = raised_alert(world)
    # A shift a database writer (or an older rota) gave them does not count either.
    on_call(world, username, 1)
    html = page(staff_client(username))
    assert 'id="journey-alerts"' not in html
    assert f"case #{alert.case_id}" not in html


def test_it_shows_nothing_of_alerts_in_a_duress_session(world):
    alert = raised_alert(world)
    make_coerced(world)
    html = page(log_in(world, "caseworker", DURESS))
    assert 'id="journey-alerts"' not in html
    response = log_in(world, "caseworker", DURESS).post(acknowledge_url(alert))
    assert response.status_code == 404
    assert JourneyAlert.objects.get(pk=alert.pk).acknowledged_at is None


def test_it_acknowledges_from_the_home_page(world, staff_client):
    alert = raised_alert(world)
    on_call(world, "admin", 1)
    client = staff_client("admin")
    response = client.post(acknowledge_url(alert), follow=True)
    assert response.redirect_chain == [(HOME, 302)]
    html = response.content.decode()
    assert "Alert acknowledged: it goes to nobody else now." in html
    assert "No alert is waiting for you." in html
    assert JourneyAlert.objects.get(pk=alert.pk).acknowledged_by == world.users["admin"]
    assert AuditEvent.objects.filter(event_type=EventType.ALERT_ACKNOWLEDGED).count() == 1


def test_it_says_when_an_alert_was_acknowledged_already(world, staff_client):
    alert = raised_alert(world)
    staff_client("supervisor").post(acknowledge_url(alert))
    response = staff_client("caseworker").post(acknowledge_url(alert), follow=True)
    assert "This alert was acknowledged already." in response.content.decode()
    assert JourneyAlert.objects.get(pk=alert.pk).acknowledged_by == world.users["supervisor"]


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("admin", 404),
        ("triage", 404),
        ("advocacy", 403),
        ("finance", 403),
        ("interpreter", 403),
        ("partner_a", 403),
    ],
)
def test_it_refuses_to_acknowledge_for_anyone_else(world, staff_client, username, status):
    alert = raised_alert(world)
    assert staff_client(username).post(acknowledge_url(alert)).status_code == status
    assert JourneyAlert.objects.get(pk=alert.pk).acknowledged_at is None


def test_it_answers_404_for_an_alert_of_another_case(world, staff_client):
    alert = raised_alert(world)
    other = in_transit_case(world)
    url = reverse("travel-acknowledge-alert", kwargs={"case_id": other.pk, "alert_id": alert.pk})
    assert staff_client("supervisor").post(url).status_code == 404


def test_it_refuses_a_get(world, staff_client):
    alert = raised_alert(world)
    assert staff_client("caseworker").get(acknowledge_url(alert)).status_code == 405


def test_the_case_page_lists_the_alerts_and_acknowledges_back_to_it(world, staff_client):
    alert = raised_alert(world)
    client = staff_client("caseworker")
    html = page(client, case_url(alert))
    assert 'id="journey-alerts-panel"' in html
    assert f'id="case-journey-alert-{alert.pk}"' in html
    assert "Not acknowledged" in html
    assert f'action="{acknowledge_url(alert)}"' in html
    response = client.post(acknowledge_url(alert), {"back": "case"})
    assert response["Location"] == case_url(alert)
    html = page(client, case_url(alert))
    assert "Acknowledged by caseworker" in html
    assert f'action="{acknowledge_url(alert)}"' not in html


def test_the_case_page_offers_no_button_to_triage_and_no_panel_without_alerts(world, staff_client):
    alert = raised_alert(world)
    html = page(staff_client("triage"), case_url(alert))
    assert f'id="case-journey-alert-{alert.pk}"' in html
    assert f'action="{acknowledge_url(alert)}"' not in html
    quiet = in_transit_case(world)
    html = page(staff_client("triage"), reverse("cases-show-case", kwargs={"case_id": quiet.pk}))
    assert 'id="journey-alerts-panel"' not in html


def test_the_case_page_says_how_often_an_alert_escalated(world, staff_client):
    alert = raised_alert(world)
    watch(now=notified_at(alert) + datetime.timedelta(minutes=31))
    html = page(staff_client("supervisor"), case_url(alert))
    assert "escalated 1 time" in html
    assert PLACE not in html
