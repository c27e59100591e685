"""Moving a case between states: the one table decides, a reason is sealed, the person reads
only a neutral sentence in their language."""

from __future__ import annotations

import itertools

import pytest
from django.db import transaction
from django.utils import timezone, translation

from safehaven.cases.choices import CaseOutcome, CaseState, CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.cases.opening.actions import do_accept_help_request
from safehaven.cases.tests.helpers import open_case, primary_request
from safehaven.cases.tests.verification_helpers import approved_in_place
from safehaven.cases.workflow.actions import (
    PERSON_MESSAGES,
    PERSON_STATUS,
    apply_case_move,
    do_move_case,
)
from safehaven.cases.workflow.transitions import TRANSITIONS, closing_outcomes
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import RequestStatus
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import (
    latest_request,
    private_key,
    requester_client,
    submit_request,
    thread_bodies,
)
from safehaven.intake.thread.display import REQUESTER_STATUS_TEXT

pytestmark = pytest.mark.django_db

ALLOWED = sorted(
    ((source, target) for source, targets in TRANSITIONS.items() for target in targets),
    key=str,
)
REFUSED = sorted(
    (
        (source, target)
        for source, target in itertools.product(CaseState, CaseState)
        if target not in TRANSITIONS[source]
    ),
    key=str,
)


def in_state(case: Case, state: CaseState) -> Case:
    """``case`` put in ``state`` directly, with an approved verification sealed as the
    application seals it (a later state is trusted only with one)."""
    approved_in_place(case)
    Case.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    return case


def move(world, case: Case, to_state: CaseState, **kwargs):
    outcome = kwargs.pop("outcome", None)
    if to_state == CaseState.CLOSED and outcome is None:
        outcome = sorted(closing_outcomes(case.state))[0]
    options = {"reason": "Checked with the partner.", "outcome": outcome} | kwargs
    return do_move_case(
        case,
        to_state=to_state,
        actor=world.users["triage"],
        private_key=private_key("triage"),
        **options,
    )


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_it_makes_every_move_the_table_allows(world, source, target):
    case = in_state(open_case(world), source)
    if target == CaseState.VERIFIED:
        opened = open_compartment(
            case,
            CompartmentKind.CASEWORK,
            user=world.users["supervisor"],
            private_key=private_key("supervisor"),
        )
        assert opened is not None
        with transaction.atomic():
            apply_case_move(
                case,
                to_state=target,
                reason="Approved.",
                actor=world.users["supervisor"],
                opened=opened,
            )
    else:
        move(world, case, target)
    case.refresh_from_db()
    assert case.state == target
    assert primary_request(case).status == PERSON_STATUS[target]
    event = AuditEvent.objects.filter(event_type=EventType.CASE_MOVED).latest("pk")
    assert event.detail == f"{source.value} -> {target.value}"


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_it_refuses_every_move_the_table_does_not_allow(world, source, target):
    case = in_state(open_case(world), source)
    with pytest.raises(CaseActionRefused) as refusal:
        move(world, case, target, outcome=CaseOutcome.NO_CONTACT)
    assert str(refusal.value)
    case.refresh_from_db()
    assert case.state == source


def test_it_names_the_allowed_moves_in_its_refusal(world):
    case = open_case(world)
    with pytest.raises(CaseActionRefused, match="It can move to: Verification"):
        move(world, case, CaseState.PLANNING)


def test_it_leaves_verified_to_the_approval_of_a_second_person(world):
    case = in_state(open_case(world), CaseState.VERIFICATION)
    with pytest.raises(CaseActionRefused, match="approval"):
        move(world, case, CaseState.VERIFIED)


def test_it_closes_only_with_an_outcome_that_fits(world):
    case = in_state(open_case(world), CaseState.ARRIVED)
    with pytest.raises(CaseActionRefused, match="Relocated"):
        move(world, case, CaseState.CLOSED, outcome=CaseOutcome.INELIGIBLE)
    with pytest.raises(CaseActionRefused, match="Relocated"):
        move(world, case, CaseState.CLOSED, outcome="")
    move(world, case, CaseState.CLOSED, outcome=CaseOutcome.RELOCATED)
    case.refresh_from_db()
    assert (case.state, case.outcome) == (CaseState.CLOSED, CaseOutcome.RELOCATED)


def test_it_refuses_an_outcome_when_not_closing(world):
    case = open_case(world)
    with pytest.raises(CaseActionRefused, match="Only closing"):
        move(world, case, CaseState.VERIFICATION, outcome=CaseOutcome.RELOCATED)


def test_it_needs_a_reason_and_seals_it(world):
    case = open_case(world)
    with pytest.raises(CaseActionRefused, match="reason"):
        move(world, case, CaseState.VERIFICATION, reason="  ")
    transition = move(world, case, CaseState.VERIFICATION, reason="Sentinel-Reason-Marram")
    assert b"Sentinel-Reason-Marram" not in bytes(transition.reason)
    opened = open_compartment(
        case,
        CompartmentKind.CASEWORK,
        user=world.users["triage"],
        private_key=private_key("triage"),
    )
    assert opened is not None
    assert transition.open_with(opened).sealed("reason") == "Sentinel-Reason-Marram"


def test_it_refuses_someone_whose_key_does_not_open_the_case(world):
    case = open_case(world)
    with pytest.raises(CaseActionRefused, match="Your key cannot open"):
        do_move_case(
            case,
            to_state=CaseState.VERIFICATION,
            reason="Because.",
            actor=world.users["caseworker"],
            private_key=private_key("caseworker"),
        )
    case.refresh_from_db()
    assert case.state == CaseState.SCREENING


def test_it_tells_the_person_in_their_language_and_nothing_of_the_reason(world):
    codename = submit_request()
    case = do_accept_help_request(
        latest_request(),
        reason="Accepted.",
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    move(world, case, CaseState.VERIFICATION, reason="Sentinel-Reason-Marram")
    opened = open_compartment(
        case,
        CompartmentKind.CASEWORK,
        user=world.users["supervisor"],
        private_key=private_key("supervisor"),
    )
    assert opened is not None
    with transaction.atomic():
        apply_case_move(
            case,
            to_state=CaseState.VERIFIED,
            reason="Sentinel-Reason-Marram, flight to Berlin",
            actor=world.users["supervisor"],
            opened=opened,
        )
    approved_in_place(case)
    move(world, case, CaseState.PLANNING, reason="Sentinel-Reason-Marram, flight to Berlin")

    html = requester_client(codename).get("/ru/status/request/").content.decode()
    with translation.override("ru"):
        sentence = str(REQUESTER_STATUS_TEXT[RequestStatus.IN_PROGRESS])
    assert sentence in html
    assert "Sentinel-Reason-Marram" not in html
    assert "Berlin" not in html


def test_it_leaves_a_withdrawn_request_as_it_is(world):
    case = open_case(world)
    request = primary_request(case)
    HelpRequest.objects.filter(pk=request.pk).update(
        status=RequestStatus.WITHDRAWN, withdrawn_at=timezone.now()
    )
    move(world, case, CaseState.WITHDRAWN)
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN


def test_it_sends_the_fixed_message_in_the_persons_page_language(world, monkeypatch):
    codename = submit_request()
    case = do_accept_help_request(
        latest_request(),
        reason="Accepted.",
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    request = primary_request(case)
    HelpRequest.objects.filter(pk=request.pk).update(page_language="ru")
    # A sentence the catalogue already translates, so the language is seen to follow the
    # person's page and not the mover's.
    monkeypatch.setitem(
        PERSON_MESSAGES, CaseState.DECLINED, REQUESTER_STATUS_TEXT[RequestStatus.CLOSED]
    )
    with translation.override("fr"):
        move(world, case, CaseState.DECLINED, reason="Sentinel-Reason-Marram", tell_the_person=True)
    with translation.override("ru"):
        russian = str(REQUESTER_STATUS_TEXT[RequestStatus.CLOSED])
    assert russian != "Your request is closed."
    assert thread_bodies(request)[-1] == ("staff", russian)
    html = requester_client(codename).get("/ru/status/request/").content.decode()
    assert html.count(russian) >= 2  # the status sentence and the message
    assert "Sentinel-Reason-Marram" not in html


def test_it_refuses_a_message_for_a_move_that_has_none(world):
    case = open_case(world)
    with pytest.raises(CaseActionRefused, match="no message"):
        move(world, case, CaseState.WITHDRAWN, tell_the_person=True)
    case.refresh_from_db()
    assert case.state == CaseState.SCREENING
    assert thread_bodies(primary_request(case)) == []


def test_it_sends_every_move_message_neutral(world):
    case = open_case(world)
    move(world, case, CaseState.VERIFICATION, tell_the_person=True)
    [(kind, body)] = thread_bodies(primary_request(case))
    assert kind == "staff"
    assert body == str(PERSON_MESSAGES[CaseState.VERIFICATION])
