"""The check-ins pages, with real logins: scheduling a journey from its booking's segments,
the "Journey check-ins" panel, logging a call, cancelling, marking the case in transit and
confirming the arrival (travel.check_ins.views, panels)."""

from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.travel.check_ins.panels import check_ins_panel
from safehaven.travel.choices import AlertKind, CheckInPoint, CheckInVia
from safehaven.travel.models import ExpectedCheckIn, FollowUp, JourneyAlert
from safehaven.travel.tests.check_in_helpers import (
    ARRIVAL,
    DANGER,
    check_in_from_status_page,
    fresh,
    journey_case,
    schedule,
    wall_clock,
    window,
)

pytestmark = pytest.mark.django_db
MINUTES = "%Y-%m-%dT%H:%M"


def case_page(client, case) -> str:
    response = client.get(reverse("cases-show-case", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    return response.content.decode()


def panel_of(html: str) -> str:
    return html.split('id="check-ins"')[1].split("</section>")[0]


def schedule_url(booking) -> str:
    return reverse(
        "travel-schedule-check-ins", kwargs={"case_id": booking.case_id, "booking_id": booking.pk}
    )


def row_url(name: str, row: ExpectedCheckIn) -> str:
    return reverse(name, kwargs={"case_id": row.case_id, "check_in_id": row.pk})


def schedule_post(rows: list[dict[str, Any]], zone: str = "Europe/Berlin") -> dict[str, Any]:
    post: dict[str, Any] = {
        "zone": zone,
        "window-TOTAL_FORMS": len(rows),
        "window-INITIAL_FORMS": len(rows),
        "window-MIN_NUM_FORMS": 0,
        "window-MAX_NUM_FORMS": 20,
    }
    for number, row in enumerate(rows):
        for name, value in row.items():
            post[f"window-{number}-{name}"] = value
    return post


def open_now(point: str = CheckInPoint.BEFORE_DEPARTURE, zone: str = "Europe/Berlin", **more):
    return {
        "point": point,
        "place": "Sentinel Grozny GRV",
        "opens": wall_clock(zone, -1).strftime(MINUTES),
        "due_by": wall_clock(zone, 2).strftime(MINUTES),
        "zone": "",
        **more,
    }


def test_it_fills_the_schedule_from_the_booking_and_schedules_it(world, monkeypatch):
    case, booking, _codename = journey_case(world, monkeypatch)
    client = staff_client_with_keys(world, "caseworker")
    panel = panel_of(case_page(client, case))
    assert schedule_url(booking) in panel
    assert "No check-in scheduled." in panel
    form = client.get(schedule_url(booking)).content.decode()
    # Both segments go 06:30 to 09:45 (booking_helpers): before departure from 03:30, at
    # Yerevan from 09:45 for 3 hours, at Berlin from 09:45 for 6 hours.
    assert form.count('name="window-TOTAL_FORMS" value="4"') == 1  # three and one to add
    for shown in ("2027-01-10T03:30", "2027-01-10T06:30", "2027-01-10T12:45", "2027-01-10T15:45"):
        assert shown in form, shown
    for place in ("GRV", "EVN", "BER"):
        assert f'value="{place}"' in form
    assert '<option value="Asia/Yerevan">' in form  # the list of zones, no script
    rows = [
        open_now(),
        open_now(CheckInPoint.TRANSIT, DELETE="on", place="Sentinel left out"),
        open_now(ARRIVAL, zone="Asia/Yerevan", place="Sentinel Berlin BER")
        | {"zone": "Asia/Yerevan"},
    ]
    response = client.post(schedule_url(booking), schedule_post(rows))
    assert response.status_code == 302, response.content.decode()[:3000]
    made = list(ExpectedCheckIn.objects.filter(booking=booking).order_by("position"))
    assert len(made) == 2
    html = case_page(client, case)
    assert "2 check-ins scheduled" in html
    panel = panel_of(html)
    assert "Sentinel Grozny GRV" in panel
    assert "Sentinel Berlin BER" in panel
    assert "Sentinel left out" not in panel
    assert "(Europe/Berlin)" in panel
    assert "(Asia/Yerevan)" in panel
    assert "Waiting: the window is open now." in panel
    assert row_url("travel-log-check-in", made[0]) in panel
    assert row_url("travel-cancel-check-in", made[0]) in panel


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"zone": ""}, "Check-in 1: Give a time zone this server knows"),
        ({"zone": "Europe/Nowhere"}, "Check-in 1: Give a time zone this server knows"),
        ({"opens": "soon"}, "Give the time as YYYY-MM-DD HH:MM."),
        ({"due_by": ""}, "This field is required."),
        ({"DELETE": "on"}, "Give at least one check-in window."),
        ({"point": ""}, "This field is required."),
    ],
)
def test_it_shows_the_schedule_again_on_bad_input(world, monkeypatch, change, message):
    _case, booking, _codename = journey_case(world, monkeypatch)
    client = staff_client_with_keys(world, "caseworker")
    zone = change.pop("zone", "Europe/Berlin")
    response = client.post(schedule_url(booking), schedule_post([open_now() | change], zone))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="Sentinel Grozny GRV"' in response.content.decode()  # what was typed stays
    assert not ExpectedCheckIn.objects.exists()


def test_the_panel_tells_a_danger_check_in_from_an_ordinary_one(world, monkeypatch):
    case, booking, codename = journey_case(world, monkeypatch)
    first, second = schedule(booking, window(), window(ARRIVAL, hours=5))
    check_in_from_status_page(codename)
    check_in_from_status_page(codename, DANGER)
    client = staff_client_with_keys(world, "caseworker")
    panel = panel_of(case_page(client, case))
    item = panel.split(f'id="check-in-{first.pk}"')[1].split("</li>")[0]
    assert "Checked in from the status page" in item
    assert "Ordinary check-in." in item
    assert "DANGER signal" not in item
    item = panel.split(f'id="check-in-{second.pk}"')[1].split("</li>")[0]
    assert "DANGER signal" in item
    # A check-in never moves the case: the caseworker marks it in transit after reading.
    assert reverse("travel-mark-in-transit", kwargs={"case_id": case.pk}) in panel
    assert 'id="check-in-arrival"' not in panel  # the arrival came with the danger phrase


def test_it_marks_in_transit_then_offers_to_confirm_the_arrival(world, monkeypatch):
    case, booking, codename = journey_case(world, monkeypatch)
    schedule(booking, window(), window(ARRIVAL, opens_in=-1, hours=6))
    client = staff_client_with_keys(world, "caseworker")
    mark = reverse("travel-mark-in-transit", kwargs={"case_id": case.pk})
    refused = client.post(mark, follow=True).content.decode()
    assert "No check-in of this journey has come in" in refused
    check_in_from_status_page(codename)
    assert client.post(mark).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.IN_TRANSIT
    panel = panel_of(case_page(client, case))
    assert mark not in panel
    assert 'id="check-in-arrival"' not in panel
    check_in_from_status_page(codename)  # on arrival
    panel = panel_of(case_page(client, case))
    assert 'id="check-in-arrival"' in panel
    arrival = reverse("travel-confirm-arrival", kwargs={"case_id": case.pk})
    assert (
        client.post(arrival, {"reason": "Checked in on arrival.", "arrived_in": "CA"}).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.state == CaseState.ARRIVED
    assert case.arrived_in == "CA"
    assert FollowUp.objects.filter(case=case, months=1).exists()


def test_it_logs_a_call_from_the_page(world, monkeypatch):
    case, booking, _codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    client = staff_client_with_keys(world, "caseworker")
    assert client.get(row_url("travel-log-check-in", row)).status_code == 200
    response = client.post(
        row_url("travel-log-check-in", row),
        {"in_danger": "on", "note": "Sentinel note: a man was listening."},
    )
    assert response.status_code == 302
    assert fresh(row).checked_in_via == CheckInVia.CALL
    assert JourneyAlert.objects.get().kind == AlertKind.RAISED
    html = case_page(client, case)
    assert "an alert is raised" in html
    panel = panel_of(html)
    assert "Logged by caseworker after a call" in panel
    assert "Sentinel note: a man was listening." in panel
    assert "DANGER signal" in panel
    again = client.post(row_url("travel-log-check-in", row), {"note": "Again."})
    assert again.status_code == 200
    assert "This check-in has come in already." in again.content.decode()


def test_it_cancels_from_the_page(world, monkeypatch):
    case, booking, _codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    client = staff_client_with_keys(world, "caseworker")
    assert client.post(row_url("travel-cancel-check-in", row), {"reason": ""}).status_code == 200
    assert fresh(row).is_waiting
    response = client.post(row_url("travel-cancel-check-in", row), {"reason": "Sentinel later."})
    assert response.status_code == 302
    assert fresh(row).cancelled_at is not None
    panel = panel_of(case_page(client, case))
    assert "Cancelled" in panel
    assert "Sentinel later." in panel
    assert row_url("travel-log-check-in", row) not in panel


def test_it_shows_a_forged_check_in_as_forged(world, monkeypatch):
    case, booking, _codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    # A database writer marks it checked in from the status page, with no report.
    ExpectedCheckIn.objects.filter(pk=row.pk).update(
        checked_in_at=row.opens_at, checked_in_via=CheckInVia.STATUS_PAGE
    )
    client = staff_client_with_keys(world, "caseworker")
    panel = panel_of(case_page(client, case))
    assert f"Check-in #{row.pk} does not match its seal" in panel
    assert row_url("travel-log-check-in", row) not in panel
    assert reverse("travel-mark-in-transit", kwargs={"case_id": case.pk}) not in panel


def test_it_answers_404_outside_the_case_and_403_to_other_roles(world, monkeypatch):
    _case, booking, _codename = journey_case(world, monkeypatch)
    other, _other_booking, _other_codename = journey_case(world, monkeypatch)
    [row] = schedule(booking, window())
    client = staff_client_with_keys(world, "caseworker")
    wrong_case = reverse("travel-log-check-in", kwargs={"case_id": other.pk, "check_in_id": row.pk})
    assert client.post(wrong_case, {"note": "x"}).status_code == 404
    wrong_booking = reverse(
        "travel-schedule-check-ins", kwargs={"case_id": other.pk, "booking_id": booking.pk}
    )
    assert client.get(wrong_booking).status_code == 404
    finance = staff_client_with_keys(world, "finance")
    assert finance.post(row_url("travel-log-check-in", row), {"note": "x"}).status_code == 403
    assert fresh(row).is_waiting


def test_interpreters_and_a_duress_session_never_see_the_panel(world, monkeypatch):
    case, booking, _codename = journey_case(world, monkeypatch)
    schedule(booking, window())
    request = RequestFactory().get("/")
    request.user = world.users["interpreter"]
    request.session = SessionStore()
    assert check_ins_panel(request, case) is None
    request.user = world.users["caseworker"]  # no unlocked key in this session
    assert check_ins_panel(request, case) is None


def test_the_panel_says_when_the_key_cannot_open_travel(world, monkeypatch):
    case, booking, _codename = journey_case(world, monkeypatch)
    schedule(booking, window(place="Sentinel hidden place"))
    Case.objects.filter(pk=case.pk).update(state=CaseState.IN_TRANSIT)
    # Supervisors hold casework through the triage team, and travel too: use a caseworker
    # whose travel wrap is gone.
    from safehaven.keys.models import RecordKeyWrap

    travel = case.compartments.get(kind="travel").record_id
    RecordKeyWrap.objects.filter(
        record_key__record_id=travel, user=world.users["caseworker"]
    ).delete()
    client = staff_client_with_keys(world, "caseworker")
    panel = panel_of(case_page(client, case))
    assert "Your key cannot open this case's travel records." in panel
    assert "Sentinel hidden place" not in panel
