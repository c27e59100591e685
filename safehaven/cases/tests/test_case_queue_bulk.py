"""Bulk actions of the case queue: assign and decline the ticked cases, one action per case,
each refusal reported with its case and reason."""

import pytest

from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.models import CaseAssignment
from safehaven.cases.tests.helpers import bare_case, open_case, primary_request
from safehaven.cases.workflow.actions import PERSON_STATUS
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import staff_client_with_keys

pytestmark = pytest.mark.django_db

URL = "/en/staff/cases/"


def test_it_assigns_the_ticked_cases_and_reports_each_refusal(world):
    first, second = open_case(world), open_case(world)
    other_org = Organisation.objects.create(name="Elsewhere", kind=OrganisationKind.RELOCATING)
    outside = bare_case(world, organisation=other_org)
    caseworker = world.users["caseworker"]
    CaseAssignment.objects.create(case=second, user=caseworker, role=AssignmentRole.CASEWORKER)
    client = staff_client_with_keys(world, "triage")
    response = client.post(
        URL + "?country=RU",
        {
            "case": [first.pk, second.pk, outside.pk],
            "action": "assign",
            "caseworker": caseworker.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == URL + "?country=RU"
    assert CaseAssignment.objects.filter(case=first, user=caseworker).exists()
    page = client.get(response["Location"]).content.decode()
    assert "1 case assigned." in page
    assert f"Case #{second.pk}: The case is already assigned to them in this role." in page
    assert f"Case #{outside.pk}: No such case among yours." in page
    assert AuditEvent.objects.filter(event_type=EventType.CASE_ASSIGNED).count() == 1


def test_it_declines_the_ticked_cases_each_with_the_reason(world):
    first, second = open_case(world), open_case(world)
    unopenable = bare_case(world)  # no casework compartment: no key opens it
    client = staff_client_with_keys(world, "supervisor")
    response = client.post(
        URL,
        {
            "case": [first.pk, second.pk, unopenable.pk],
            "action": "decline",
            "reason": "Outside our mandate.",
        },
    )
    assert response.status_code == 302
    for case in (first, second):
        case.refresh_from_db()
        assert case.state == CaseState.DECLINED
        assert case.transitions.filter(to_state=CaseState.DECLINED).count() == 1
        # Each person reads the neutral sentence of their own request's status.
        assert primary_request(case).status == PERSON_STATUS[CaseState.DECLINED]
    unopenable.refresh_from_db()
    assert unopenable.state == CaseState.RECEIVED
    page = client.get(URL).content.decode()
    assert "2 cases declined." in page
    assert f"Case #{unopenable.pk}: Your key cannot open this case" in page


def test_it_keeps_the_ticks_and_asks_for_what_is_missing(world):
    case = open_case(world)
    client = staff_client_with_keys(world, "triage")
    response = client.post(URL, {"case": [case.pk], "action": "decline", "reason": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Write why the cases are declined." in page
    assert f'value="{case.pk}" id="case-{case.pk}"' in page
    assert "checked" in page
    response = client.post(URL, {"action": "assign"})
    assert "Tick at least one case." in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.SCREENING


def test_it_asks_what_to_do_when_a_post_names_no_action(world):
    case = open_case(world)
    response = staff_client_with_keys(world, "triage").post(
        URL, {"case": [case.pk], "reason": "Not ours."}
    )
    assert response.status_code == 200
    assert "Choose what to do with the ticked cases: assign or decline." in (
        response.content.decode()
    )
    case.refresh_from_db()
    assert case.state == CaseState.SCREENING
