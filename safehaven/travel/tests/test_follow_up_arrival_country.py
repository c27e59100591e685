"""Confirming a safe arrival records the country the person arrived in, in clear for reports:
a known ISO code only, never a city or an address, and not in the audit log
(travel.follow_ups.actions.do_confirm_arrival, the arrival form)."""

from __future__ import annotations

import pytest

from safehaven.cases.choices import CaseState
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.travel.follow_ups.actions import do_confirm_arrival
from safehaven.travel.follow_ups.forms import ConfirmArrivalForm
from safehaven.travel.tests.follow_up_helpers import ARRIVAL, in_transit_case, worker

LABEL = "Country the person arrived in (counted in reports; a country only)"


def _arrival_url(case):
    return f"/en/staff/cases/{case.pk}/travel/arrival/"


def test_it_stores_the_country_as_an_iso_code(world):
    case = in_transit_case(world)
    do_confirm_arrival(case, reason=ARRIVAL, arrived_in=" de ", **worker(world))
    case.refresh_from_db()
    assert (case.state, case.arrived_in) == (CaseState.ARRIVED, "DE")


@pytest.mark.parametrize("typed", ["Toronto", "ZZ", "CAN", "1 Rue de la Paix"])
def test_it_refuses_anything_but_a_known_country_and_changes_nothing(world, typed):
    case = in_transit_case(world)
    with pytest.raises(CaseActionRefused, match="Choose the country"):
        do_confirm_arrival(case, reason=ARRIVAL, arrived_in=typed, **worker(world))
    case.refresh_from_db()
    assert (case.state, case.arrived_in) == (CaseState.IN_TRANSIT, "")


def test_kosovo_is_a_country_of_the_list(world):
    case = in_transit_case(world)
    do_confirm_arrival(case, reason=ARRIVAL, arrived_in="XK", **worker(world))
    case.refresh_from_db()
    assert case.arrived_in == "XK"


def test_the_audit_log_does_not_name_the_country(world):
    case = in_transit_case(world)
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    do_confirm_arrival(case, reason=ARRIVAL, arrived_in="NL", **worker(world))
    details = list(
        AuditEvent.objects.filter(sequence__gt=before or 0).values_list("detail", flat=True)
    )
    assert any("arrival country recorded" in detail for detail in details)
    assert not any("NL" in detail or "Netherlands" in detail for detail in details)


def test_the_form_requires_a_country_from_the_list():
    assert not ConfirmArrivalForm({"reason": "Called."}).is_valid()
    assert not ConfirmArrivalForm({"reason": "Called.", "arrived_in": "Berlin"}).is_valid()
    form = ConfirmArrivalForm({"reason": "Called.", "arrived_in": "DE"})
    assert form.is_valid()
    assert form.cleaned_data["arrived_in"] == "DE"


def test_the_case_page_asks_for_the_country_and_records_it(world):
    case = in_transit_case(world)
    client = staff_client_with_keys(world, "caseworker")
    page = client.get(f"/en/staff/cases/{case.pk}/").content.decode()
    assert LABEL in page
    assert 'name="arrived_in"' in page
    response = client.post(_arrival_url(case), {"reason": "Called on arrival."})
    assert response.status_code == 200
    assert "Choose the country the person arrived in from the list." in (response.content.decode())
    case.refresh_from_db()
    assert case.state == CaseState.IN_TRANSIT
    response = client.post(_arrival_url(case), {"reason": "Called.", "arrived_in": "SE"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.arrived_in) == (CaseState.ARRIVED, "SE")
