"""Assigning a case (as caseworker or interpreter) and taking it back, from the keyholders
panel; and who may be given a case at all."""

import pytest

from safehaven.cases.assignment.actions import assignable_staff, do_assign_case
from safehaven.cases.choices import AssignmentRole
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import CaseAssignment
from safehaven.cases.queue.pages import caseworkers_for
from safehaven.cases.tests.helpers import open_case, primary_request
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.handling.actions import staff_who_may_receive_requests
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys
from safehaven.keys.actions.users import do_replace_user_keys
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.records import open_record

pytestmark = pytest.mark.django_db


def assign_url(case) -> str:
    return f"/en/staff/cases/{case.pk}/assign/"


def test_it_assigns_an_interpreter_from_the_panel(world):
    case = open_case(world)
    interpreter = world.users["interpreter"]
    client = staff_client_with_keys(world, "triage")

    response = client.post(assign_url(case), {"user": interpreter.pk, "role": "interpreter"})

    assert response.status_code == 302
    assert response["Location"].endswith(f"/staff/cases/{case.pk}/")
    assert CaseAssignment.objects.get(case=case).role == AssignmentRole.INTERPRETER
    request = primary_request(case)
    assert request.thread_record_id is not None
    open_record(request.thread_record_id, user=interpreter, private_key=private_key("interpreter"))
    with pytest.raises(RecordUnavailable):
        open_record(request.record_id, user=interpreter, private_key=private_key("interpreter"))
    assert AuditEvent.objects.filter(event_type=EventType.CASE_ASSIGNED).count() == 1


def test_it_takes_a_case_back_from_the_panel(world):
    case = open_case(world)
    worker = world.users["caseworker"]
    client = staff_client_with_keys(world, "triage")
    client.post(assign_url(case), {"user": worker.pk, "role": "caseworker"})
    assignment = CaseAssignment.objects.get(case=case, user=worker)

    response = client.post(f"/en/staff/cases/{case.pk}/assignments/{assignment.pk}/unassign/")

    assert response.status_code == 302
    assert not CaseAssignment.objects.filter(case=case).exists()
    with pytest.raises(RecordUnavailable):
        open_record(
            primary_request(case).record_id, user=worker, private_key=private_key("caseworker")
        )
    assert AuditEvent.objects.filter(event_type=EventType.CASE_UNASSIGNED).count() == 1


def test_it_refuses_assigning_and_unassigning_to_a_caseworker(world):
    case = open_case(world)
    worker = world.users["caseworker"]
    do_assign_case(
        case,
        user=worker,
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    assignment = CaseAssignment.objects.get(case=case)
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(assign_url(case), {"user": worker.pk, "role": "interpreter"})
    assert response.status_code == 403
    response = client.post(f"/en/staff/cases/{case.pk}/assignments/{assignment.pk}/unassign/")
    assert response.status_code == 403
    assert CaseAssignment.objects.filter(case=case).count() == 1


def test_it_shows_the_assign_form_and_assignments_on_the_case_page(world):
    case = open_case(world)
    client = staff_client_with_keys(world, "triage")
    client.post(assign_url(case), {"user": world.users["caseworker"].pk, "role": "caseworker"})
    html = client.get(f"/en/staff/cases/{case.pk}/").content.decode()
    assert f'action="/en/staff/cases/{case.pk}/assign/"' in html
    assert "Take the case back from them" in html


def test_it_gives_nothing_to_someone_who_must_choose_a_new_password(world):
    case = open_case(world)
    worker = world.users["caseworker"]
    worker.must_change_password = True
    worker.save(update_fields=["must_change_password"])

    assert not assignable_staff(case, AssignmentRole.CASEWORKER).filter(pk=worker.pk).exists()
    assert worker not in caseworkers_for(world.users["triage"])
    assert worker not in staff_who_may_receive_requests()
    with pytest.raises(CaseActionRefused, match="password of their own"):
        do_assign_case(
            case,
            user=worker,
            role=AssignmentRole.CASEWORKER,
            actor=world.users["triage"],
            private_key=private_key("triage"),
        )


def test_it_waits_for_a_new_password_before_granting_again(world):
    case = open_case(world)
    worker = world.users["caseworker"]
    do_assign_case(
        case,
        user=worker,
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    do_replace_user_keys(
        worker, "an interim password the admin knows 4410", actor=world.users["admin"]
    )
    worker.must_change_password = True
    worker.save(update_fields=["must_change_password"])

    client = staff_client_with_keys(world, "triage")
    html = client.get(f"/en/staff/cases/{case.pk}/").content.decode()
    assert "waiting for them to choose a new password" in html
    assert f"/keys/{worker.pk}/regrant/" not in html
    response = client.post(f"/en/staff/cases/{case.pk}/keys/{worker.pk}/regrant/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(event_type=EventType.CASE_REGRANTED).count() == 0
