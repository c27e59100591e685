"""What the person sees when they check in during a journey: the same answer for their check-in
phrase and their danger phrase (same status, headers, length and bytes), though the danger one
raised an alert; and nothing of the journey on their page (SECURITY.md, T7)."""

import pytest
from django.test import Client

from safehaven.intake.tests.helpers import SHOW_STATUS_URL, comparable, open_status
from safehaven.travel.choices import AlertKind, CheckInVia
from safehaven.travel.models import JourneyAlert
from safehaven.travel.tests.check_in_helpers import (
    ARRIVAL,
    DANGER,
    PHRASE,
    fresh,
    journey_case,
    schedule,
    window,
)

pytestmark = pytest.mark.django_db


def check_in_and_look(codename: str, phrase: str) -> tuple[tuple, tuple]:
    """The opening's answer and the page it leads to, each comparable."""
    client = Client()
    opening = open_status(client, codename, phrase=phrase)
    page = client.get(SHOW_STATUS_URL)
    assert page.status_code == 200
    return comparable(opening), comparable(page)


def test_a_danger_check_in_raises_the_alarm_behind_the_ordinary_confirmation(world, monkeypatch):
    case, booking, codename = journey_case(world, monkeypatch)
    first, second = schedule(
        booking, window(place="Sentinel Grozny"), window(ARRIVAL, hours=5, place="Sentinel Berlin")
    )
    nothing = check_in_and_look(codename, "")
    ordinary = check_in_and_look(codename, PHRASE)
    assert not JourneyAlert.objects.exists()
    danger = check_in_and_look(codename, DANGER)

    (opened_ordinary, page_ordinary), (opened_danger, page_danger) = ordinary, danger
    assert opened_ordinary == opened_danger  # status, headers, cookies, body
    assert opened_ordinary[0] == 302
    assert page_ordinary == page_danger
    assert len(page_ordinary[3]) == len(page_danger[3])
    assert page_ordinary == nothing[1]  # as if nothing had been typed
    # Behind it: both check-ins came in alike, and the danger one raised an alert.
    assert fresh(first).checked_in_via == fresh(second).checked_in_via == CheckInVia.STATUS_PAGE
    [alert] = JourneyAlert.objects.all()
    assert (alert.case, alert.expected_id, alert.kind) == (case, second.pk, AlertKind.RAISED)
    # The page shows nothing of the journey.
    body = page_danger[3].decode()
    for word in ("Sentinel", "GRV", "EVN", "BER", "Armavia", "QX7PLM", "transit", "DANGER"):
        assert word not in body, word
