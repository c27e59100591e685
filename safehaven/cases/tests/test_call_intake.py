"""Opening a case after a phone call, from its staff page."""

import pytest

from safehaven.cases.choices import CaseOrigin, CaseState, CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.models import Case
from safehaven.intake.tests.helpers import private_key

pytestmark = pytest.mark.django_db

URL = "/en/staff/cases/new/"


def call_post(**overrides: object) -> dict[str, object]:
    post: dict[str, object] = {
        "country": "RU",
        "region": "Grozny",
        "languages": ["ru", "ce"],
        "citizenships": "RU",
        "summary": "Called from a friend's phone; the police took their partner.",
        "contacts": "Signal, evenings only",
        "risk_indicators": ["threats_state", "in_hiding"],
        "companions": "",
        "reason": "Called the hotline at night.",
    }
    post.update(overrides)
    return post


def test_it_opens_a_received_case_scored_like_a_request_with_the_details_sealed(
    world, staff_client
):
    response = staff_client("triage").post(URL, call_post())
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.origin, case.state, case.country) == (
        CaseOrigin.PHONE_CALL,
        CaseState.RECEIVED,
        "RU",
    )
    assert case.languages == ["ru", "ce"]
    assert case.risk_score == 75  # intake's emergency floor: hunted by the state and hiding
    opened = open_compartment(
        case,
        CompartmentKind.CASEWORK,
        user=world.users["supervisor"],
        private_key=private_key("supervisor"),
    )
    assert opened is not None
    person = case.people.get().open_with(opened)
    assert person.sealed("region") == "Grozny"
    assert person.sealed("contacts") == "Signal, evenings only"


def test_it_keeps_what_was_typed_when_the_input_is_bad(world, staff_client):
    response = staff_client("supervisor").post(URL, call_post(country="ZZ"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please choose one of the options shown." in page
    assert "the police took their partner" in page
    assert "Signal, evenings only" in page
    assert not Case.objects.exists()


def test_it_shows_the_form_to_triage(world, staff_client):
    response = staff_client("triage").get(URL)
    assert response.status_code == 200
    assert 'name="risk_indicators"' in response.content.decode()


@pytest.mark.parametrize("role", ["caseworker", "partner_a", "finance", "admin"])
def test_it_refuses_roles_that_do_not_manage_cases(world, staff_client, role):
    assert staff_client(role).get(URL).status_code == 403
    assert staff_client(role).post(URL, call_post()).status_code == 403
    assert not Case.objects.exists()
