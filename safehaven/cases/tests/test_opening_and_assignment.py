"""Opening a case from a request and giving it to a caseworker: the keys follow the case."""

import pytest

from safehaven.cases.assignment.actions import do_assign_case, do_unassign_case
from safehaven.cases.choices import AssignmentRole, CaseState, CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.opening.actions import do_accept_help_request, do_join_household
from safehaven.cases.tests.helpers import open_case, primary_request
from safehaven.intake.choices import RequestStatus
from safehaven.intake.tests.helpers import latest_request, private_key, submit_request
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind
from safehaven.keys.records import open_record, open_record_with_codename

pytestmark = pytest.mark.django_db


def test_it_opens_a_case_in_screening_with_a_casework_compartment_for_triage(world):
    case = open_case(world, situation="They came for my friend.")
    person = case.people.get()
    assert case.state == CaseState.SCREENING
    assert person.is_primary
    assert primary_request(case).status == RequestStatus.REVIEWING
    opened = open_compartment(
        case,
        CompartmentKind.CASEWORK,
        user=world.users["supervisor"],
        private_key=private_key("supervisor"),
    )
    assert opened is not None
    assert case.transitions.get().open_with(opened).sealed("reason") == "Accepted at triage."
    assert (
        open_compartment(
            case,
            CompartmentKind.CASEWORK,
            user=world.users["caseworker"],
            private_key=private_key("caseworker"),
        )
        is None
    )


def test_it_refuses_to_accept_a_request_twice(world):
    case = open_case(world)
    request = primary_request(case)
    with pytest.raises(CaseActionRefused, match="already part of a case"):
        do_accept_help_request(
            request,
            reason="",
            actor=world.users["triage"],
            private_key=private_key("triage"),
        )


def test_it_wraps_the_case_to_an_assigned_caseworker_and_takes_it_back(world):
    case = open_case(world)
    caseworker = world.users["caseworker"]
    key = private_key("caseworker")
    request = primary_request(case)
    do_assign_case(
        case,
        user=caseworker,
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    assert open_compartment(case, CompartmentKind.CASEWORK, user=caseworker, private_key=key)
    open_record(request.record_id, user=caseworker, private_key=key)

    do_unassign_case(
        case, user=caseworker, role=AssignmentRole.CASEWORKER, actor=world.users["triage"]
    )
    assert (
        open_compartment(case, CompartmentKind.CASEWORK, user=caseworker, private_key=key) is None
    )
    with pytest.raises(RecordUnavailable):
        open_record(request.record_id, user=caseworker, private_key=key)


def test_it_refuses_to_assign_someone_without_the_role(world):
    case = open_case(world)
    with pytest.raises(CaseActionRefused, match="cannot be given the case"):
        do_assign_case(
            case,
            user=world.users["finance"],
            role=AssignmentRole.CASEWORKER,
            actor=world.users["triage"],
            private_key=private_key("triage"),
        )


def test_it_joins_a_household_without_wrapping_anything_to_another_codename(world):
    first_codename = submit_request(situation="First person of the household.")
    first = latest_request()
    second_codename = submit_request(situation="Second person, maybe planted.")
    second = latest_request()
    triage, key = world.users["triage"], private_key("triage")
    case = do_accept_help_request(first, reason="Accepted.", actor=triage, private_key=key)
    codename_wraps = set(
        RecordKeyWrap.objects.filter(kind=RecordWrapKind.CODENAME).values_list("pk", flat=True)
    )

    do_join_household(case, second, actor=triage, private_key=key)

    assert case.people.count() == 2
    assert (
        set(RecordKeyWrap.objects.filter(kind=RecordWrapKind.CODENAME).values_list("pk", flat=True))
        == codename_wraps
    )
    casework = case.compartment_record_id(CompartmentKind.CASEWORK)
    for codename, own, other in [
        (first_codename, first, second),
        (second_codename, second, first),
    ]:
        open_record_with_codename(own.record_id, codename)
        for record_id in [other.record_id, other.thread_record_id, casework]:
            assert record_id is not None
            with pytest.raises(RecordUnavailable):
                open_record_with_codename(record_id, codename)
