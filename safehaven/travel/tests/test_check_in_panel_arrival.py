"""Once the person has checked in on arrival, the case page offers "Confirm safe arrival" once:
the follow-ups panel holds the form, the check-ins panel points to it
(travel.check_ins.panels, travel/panel_check_ins.html)."""

import pytest
from django.urls import reverse

from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.travel.check_ins.actions import do_mark_in_transit
from safehaven.travel.tests.booking_helpers import as_user
from safehaven.travel.tests.check_in_helpers import (
    ARRIVAL,
    check_in_from_status_page,
    journey_case,
    schedule,
    window,
)

pytestmark = pytest.mark.django_db


def _section(html: str, section_id: str) -> str:
    return html.split(f'id="{section_id}"')[1].split("</section>")[0]


def _case_page(client, case) -> str:
    response = client.get(reverse("cases-show-case", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_arrival_form_shows_once_after_the_arrival_check_in(world, monkeypatch):
    case, booking, codename = journey_case(world, monkeypatch)
    schedule(booking, window(), window(ARRIVAL, opens_in=-1, hours=6))
    check_in_from_status_page(codename)  # before departure
    do_mark_in_transit(case, **as_user())
    arrival_url = reverse("travel-confirm-arrival", kwargs={"case_id": case.pk})
    client = staff_client_with_keys(world, "caseworker")

    html = _case_page(client, case)
    assert html.count(f'action="{arrival_url}"') == 1
    assert 'id="check-in-arrival"' not in _section(html, "check-ins")

    check_in_from_status_page(codename)  # on arrival
    html = _case_page(client, case)
    assert html.count(f'action="{arrival_url}"') == 1
    assert f'action="{arrival_url}"' in _section(html, "follow-ups")
    check_ins = _section(html, "check-ins")
    assert arrival_url not in check_ins
    pointer = check_ins.split('id="check-in-arrival"')[1].split("</p>")[0]
    assert 'href="#follow-ups"' in pointer
    assert "checked in on arrival" in pointer
