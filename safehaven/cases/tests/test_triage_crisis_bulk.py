"""The queue's bulk tools within a crisis: with the crisis filter chosen, assigning and
declining act only on that crisis's ticked cases; a ticked case outside the filter (posted by
hand, or from a page shown with other filters) is refused with its reason and left as it was."""

import pytest

from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.models import CaseAssignment
from safehaven.cases.tests.helpers import open_case
from safehaven.intake.tests.helpers import staff_client_with_keys
from safehaven.intake.tests.test_request_place import record_crisis

pytestmark = pytest.mark.django_db

URL = "/en/staff/cases/"
OUTSIDE = "Not among the cases of your filter: left as it was."


@pytest.fixture
def crisis_cases(world):
    crisis = record_crisis(world, "RU")
    first, second = open_case(world, country="RU"), open_case(world, country="RU")
    outside = open_case(world, country="KG")
    assert (first.crisis, second.crisis, outside.crisis) == (crisis, crisis, None)
    return crisis, first, second, outside


def assigned(case, user) -> bool:
    return CaseAssignment.objects.filter(
        case=case, user=user, role=AssignmentRole.CASEWORKER
    ).exists()


def test_it_assigns_only_the_crisis_cases_ticked_and_refuses_the_others(world, crisis_cases):
    crisis, first, second, outside = crisis_cases
    caseworker = world.users["caseworker"]
    client = staff_client_with_keys(world, "triage")
    page = client.get(URL, {"crisis": crisis.pk}).content.decode()
    assert f'id="case-{first.pk}"' in page
    assert f'id="case-{outside.pk}"' not in page
    response = client.post(
        f"{URL}?crisis={crisis.pk}",
        {"case": [first.pk, outside.pk], "action": "assign", "caseworker": caseworker.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?crisis={crisis.pk}"
    assert assigned(first, caseworker)
    assert not assigned(second, caseworker)  # in the crisis, but not ticked
    assert not assigned(outside, caseworker)
    page = client.get(response["Location"]).content.decode()
    assert "1 case assigned." in page
    assert f"Case #{outside.pk}: {OUTSIDE}" in page


def test_it_declines_only_the_crisis_cases_ticked(world, crisis_cases):
    crisis, first, second, outside = crisis_cases
    client = staff_client_with_keys(world, "supervisor")
    response = client.post(
        f"{URL}?crisis={crisis.pk}",
        {"case": [second.pk, outside.pk], "action": "decline", "reason": "Outside our mandate."},
    )
    assert response.status_code == 302
    for case in (first, second, outside):
        case.refresh_from_db()
    assert second.state == CaseState.DECLINED
    assert first.state != CaseState.DECLINED
    assert outside.state != CaseState.DECLINED
    page = client.get(response["Location"]).content.decode()
    assert "1 case declined." in page
    assert f"Case #{outside.pk}: {OUTSIDE}" in page


def test_it_acts_on_every_ticked_case_of_the_user_without_a_filter(world, crisis_cases):
    _crisis, first, _second, outside = crisis_cases
    caseworker = world.users["caseworker"]
    client = staff_client_with_keys(world, "triage")
    client.post(
        URL, {"case": [first.pk, outside.pk], "action": "assign", "caseworker": caseworker.pk}
    )
    assert assigned(first, caseworker)
    assert assigned(outside, caseworker)


def test_it_applies_the_other_filters_with_the_crisis_too(world, crisis_cases):
    crisis, first, _second, _outside = crisis_cases
    caseworker = world.users["caseworker"]
    client = staff_client_with_keys(world, "triage")
    response = client.post(
        f"{URL}?crisis={crisis.pk}&state={CaseState.DECLINED}",
        {"case": [first.pk], "action": "assign", "caseworker": caseworker.pk},
    )
    assert not assigned(first, caseworker)
    assert f"Case #{first.pk}: {OUTSIDE}" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("junk", ["²", "٣", "9" * 40, "-1"])
def test_it_ignores_a_ticked_value_that_is_no_case_number(world, crisis_cases, junk):
    crisis, first, _second, _outside = crisis_cases
    caseworker = world.users["caseworker"]
    client = staff_client_with_keys(world, "triage")
    response = client.post(
        f"{URL}?crisis={crisis.pk}",
        {"case": [junk, first.pk], "action": "assign", "caseworker": caseworker.pk},
    )
    assert response.status_code == 302
    assert assigned(first, caseworker)
