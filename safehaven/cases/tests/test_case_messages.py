"""An interpreter given a case opens its messages and nothing else, with their own key and a
copy of the database as with the page; staff who open cases reach the same page."""

import uuid

import pytest
from django.urls import reverse

from safehaven.cases.assignment.actions import do_assign_case, do_unassign_case
from safehaven.cases.choices import AssignmentRole, CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CasePerson
from safehaven.cases.opening.actions import do_accept_help_request
from safehaven.cases.tests.helpers import open_case, primary_request
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.models import HelpRequest, RequestMessage
from safehaven.intake.tests.helpers import (
    MESSAGE_URL,
    SHOW_STATUS_URL,
    latest_request,
    private_key,
    requester_client,
    staff_client_with_keys,
    submit_request,
)
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.records import open_record

pytestmark = pytest.mark.django_db

STORY = "SENTINEL-interpreter-story they took my passport in Grozny"
REASON = "SENTINEL-interpreter-casework accepted after the call"
WRITTEN = "SENTINEL-interpreter-message I can talk on Tuesday"
ANSWER = "Thank you, we will write on Tuesday."


def give_to_interpreter(world, case: Case) -> None:
    do_assign_case(
        case,
        user=world.users["interpreter"],
        role=AssignmentRole.INTERPRETER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )


def messages_url(case: Case) -> str:
    return reverse("cases-show-case-messages", kwargs={"case_id": case.pk})


@pytest.fixture
def case_and_person(world):
    codename = submit_request(situation=STORY)
    requester_client(codename).post(MESSAGE_URL, {"body": WRITTEN})
    case = do_accept_help_request(
        latest_request(),
        reason=REASON,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    return case, codename


def test_it_opens_the_thread_and_nothing_else_with_the_interpreters_key(world, case_and_person):
    case, _codename = case_and_person
    give_to_interpreter(world, case)
    interpreter, key = world.users["interpreter"], private_key("interpreter")
    help_request = primary_request(case)

    # No server: the interpreter's own key and the rows in the database.
    thread_id = help_request.message_record_id
    assert thread_id != help_request.record_id
    thread = open_record(thread_id, user=interpreter, private_key=key)
    bodies = [
        message.open_with(thread).sealed("body")
        for message in RequestMessage.objects.filter(record_id=thread_id)
    ]
    assert WRITTEN in bodies
    with pytest.raises(RecordUnavailable):
        open_record(help_request.record_id, user=interpreter, private_key=key)
    for compartment in case.compartments.all():
        with pytest.raises(RecordUnavailable):
            open_record(compartment.record_id, user=interpreter, private_key=key)
    assert (
        open_compartment(case, CompartmentKind.CASEWORK, user=interpreter, private_key=key) is None
    )


def test_it_shows_the_interpreter_the_messages_and_not_the_story(world, case_and_person):
    case, _codename = case_and_person
    give_to_interpreter(world, case)

    response = staff_client_with_keys(world, "interpreter").get(messages_url(case))

    page = response.content.decode()
    assert response.status_code == 200
    assert WRITTEN in page
    assert STORY not in page
    assert REASON not in page
    read = AuditEvent.objects.filter(
        event_type=EventType.CASE_VIEWED, actor=world.users["interpreter"]
    )
    assert read.count() == 1


def test_it_lets_the_interpreter_answer_the_person(world, case_and_person):
    case, codename = case_and_person
    give_to_interpreter(world, case)
    help_request = primary_request(case)

    response = staff_client_with_keys(world, "interpreter").post(
        messages_url(case), {"request": help_request.pk, "body": ANSWER}
    )

    assert response.status_code == 302
    assert ANSWER in requester_client(codename).get(SHOW_STATUS_URL).content.decode()


def test_it_says_an_empty_answer_was_not_sent(world, case_and_person):
    case, _codename = case_and_person
    give_to_interpreter(world, case)
    help_request = primary_request(case)

    response = staff_client_with_keys(world, "interpreter").post(
        messages_url(case), {"request": help_request.pk, "body": "  "}
    )

    assert response.status_code == 200
    assert "Write an answer first." in response.content.decode()
    assert not RequestMessage.objects.filter(
        help_request=help_request, author__isnull=False
    ).exists()


def test_it_refuses_an_answer_to_a_request_outside_the_case(world, case_and_person):
    case, _codename = case_and_person
    give_to_interpreter(world, case)
    submit_request(situation=STORY)
    other = latest_request()

    response = staff_client_with_keys(world, "interpreter").post(
        messages_url(case), {"request": other.pk, "body": ANSWER}
    )

    assert response.status_code == 404
    assert not RequestMessage.objects.filter(help_request=other).exists()


def test_it_shows_the_same_page_to_staff_who_open_cases(world, case_and_person):
    case, _codename = case_and_person
    page = staff_client_with_keys(world, "triage").get(messages_url(case)).content.decode()
    assert WRITTEN in page
    assert STORY not in page


def test_it_hides_the_case_from_an_interpreter_not_given_it(world, case_and_person):
    case, _codename = case_and_person
    client = staff_client_with_keys(world, "interpreter")

    assert client.get(messages_url(case)).status_code == 404
    assert client.post(messages_url(case), {"request": 1, "body": ANSWER}).status_code == 404
    unknown = reverse("cases-show-case-messages", kwargs={"case_id": 999999})
    assert client.get(unknown).status_code == 404


def test_it_takes_the_threads_back_when_unassigned(world, case_and_person):
    case, _codename = case_and_person
    give_to_interpreter(world, case)
    do_unassign_case(
        case,
        user=world.users["interpreter"],
        role=AssignmentRole.INTERPRETER,
        actor=world.users["triage"],
    )
    with pytest.raises(RecordUnavailable):
        open_record(
            primary_request(case).message_record_id,
            user=world.users["interpreter"],
            private_key=private_key("interpreter"),
        )


def test_it_refuses_an_interpreter_for_a_request_made_before_threads_had_keys(world):
    case = open_case(world, situation=STORY)
    old = primary_request(case)
    HelpRequest.objects.filter(pk=old.pk).update(thread_record_id=None)

    with pytest.raises(CaseActionRefused, match=f"request #{old.pk}"):
        give_to_interpreter(world, case)


def test_it_gives_a_caseworker_the_request_and_its_thread(world, case_and_person):
    case, _codename = case_and_person
    do_assign_case(
        case,
        user=world.users["caseworker"],
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    help_request = primary_request(case)
    assert len(help_request.record_ids) == 2
    for record_id in help_request.record_ids:
        assert open_record(
            record_id, user=world.users["caseworker"], private_key=private_key("caseworker")
        )


def test_it_never_answers_a_request_linked_to_the_case_by_a_database_writer(world, case_and_person):
    case, _codename = case_and_person
    submit_request(situation="Someone else entirely.")
    other = latest_request()
    # A row written straight into the database: no sealed link.
    CasePerson.objects.create(record_id=uuid.uuid4(), case=case, help_request=other)

    triage = staff_client_with_keys(world, "triage")
    page = triage.get(messages_url(case)).content.decode()
    response = triage.post(messages_url(case), {"request": other.pk, "body": ANSWER})

    assert f"#{other.pk}" not in page
    assert response.status_code == 404
    assert not RequestMessage.objects.filter(help_request=other, kind="staff").exists()
