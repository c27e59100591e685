"""Drafting a request to a government and moving it through its statuses
(advocacy.requests.actions)."""

import datetime

import pytest
from django.utils import timezone

from safehaven.advocacy.choices import AdvocacyStatus
from safehaven.advocacy.models import AdvocacyRequest
from safehaven.advocacy.requests.actions import (
    RequestDetails,
    StatusChange,
    do_change_advocacy_status,
    do_draft_advocacy_request,
)
from safehaven.advocacy.requests.counts import decided_figures
from safehaven.advocacy.tests.helpers import CONTACT, PROGRAMME, a_crisis, draft, include
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.travel.tests.helpers import assigned_case

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def move(advocacy_request, world, to_status, on=TODAY, **decision) -> AdvocacyRequest:
    return do_change_advocacy_status(
        advocacy_request,
        change=StatusChange(to_status=to_status, on=on, **decision),
        actor=world.users["advocacy"],
    )


def sent(world, people_cases: int = 1) -> AdvocacyRequest:
    advocacy_request = draft(world)
    for _number in range(people_cases):
        include(assigned_case(world), advocacy_request)
    return move(advocacy_request, world, AdvocacyStatus.SENT, on=TODAY - 3 * DAY)


def test_it_drafts_a_request_and_audits_it_by_id(world):
    crisis = a_crisis(world)
    made = draft(world, crisis=crisis)
    assert (made.status, made.government, made.programme, made.contact) == (
        AdvocacyStatus.DRAFTED,
        "CA",
        PROGRAMME,
        CONTACT,
    )
    assert made.crisis == crisis
    assert made.organisation == world.organisation
    event = AuditEvent.objects.get(event_type=EventType.ADVOCACY_REQUEST_DRAFTED)
    assert event.target_ref == str(made.pk)
    assert event.detail == f"advocacy request #{made.pk}, crisis #{crisis.pk}"
    assert PROGRAMME not in event.detail


@pytest.mark.parametrize("username", ["caseworker", "supervisor", "admin", "triage"])
def test_it_refuses_a_request_drafted_by_anyone_but_an_advocacy_officer(world, username):
    details = RequestDetails("emergency_visa", "CA", PROGRAMME, CONTACT)
    with pytest.raises(CaseActionRefused, match="Only an advocacy officer"):
        do_draft_advocacy_request(world.organisation, details=details, actor=world.users[username])
    assert not AdvocacyRequest.objects.exists()


def test_it_refuses_the_officer_of_another_organisation(world):
    details = RequestDetails("emergency_visa", "CA", PROGRAMME, CONTACT)
    with pytest.raises(CaseActionRefused, match="Only an advocacy officer"):
        do_draft_advocacy_request(world.partner_a, details=details, actor=world.users["advocacy"])


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"government": "QQ"}, "Choose the government"),
        ({"kind": "asylum"}, "Choose what the request asks for"),
        ({"programme": "  "}, "Name the programme"),
        ({"contact": ""}, "Give the government office"),
        ({"contact": "x" * 301}, "Give the government office"),
    ],
)
def test_it_refuses_bad_details(world, details, message):
    with pytest.raises(CaseActionRefused, match=message):
        draft(world, **details)
    assert not AdvocacyRequest.objects.exists()


def test_it_moves_a_request_from_sent_to_acknowledged_to_granted_with_dates(world):
    advocacy_request = sent(world, people_cases=2)
    move(advocacy_request, world, AdvocacyStatus.ACKNOWLEDGED, on=TODAY - DAY)
    decided = move(
        advocacy_request,
        world,
        AdvocacyStatus.GRANTED,
        outcome="Visas for all but one.",
        people_granted=1,
        people_refused=1,
    )
    assert (decided.status, decided.sent_on, decided.acknowledged_on, decided.decided_on) == (
        AdvocacyStatus.GRANTED,
        TODAY - 3 * DAY,
        TODAY - DAY,
        TODAY,
    )
    assert (decided.people_granted, decided.people_refused) == (1, 1)
    details = list(
        AuditEvent.objects.filter(event_type=EventType.ADVOCACY_STATUS_CHANGED)
        .order_by("sequence")
        .values_list("detail", flat=True)
    )
    pk = advocacy_request.pk
    assert details == [
        f"advocacy request #{pk}: drafted > sent",
        f"advocacy request #{pk}: sent > acknowledged",
        f"advocacy request #{pk}: acknowledged > granted",
    ]
    figures = decided_figures(world.organisation, TODAY - DAY, TODAY)
    assert (figures.requests, figures.granted, figures.people_granted) == (1, 1, 1)
    assert figures.people_refused == 1


def test_it_lets_a_government_refuse_without_acknowledging(world):
    advocacy_request = sent(world)
    refused = move(
        advocacy_request,
        world,
        AdvocacyStatus.REFUSED,
        outcome="No programme for this.",
        people_granted=0,
        people_refused=1,
    )
    assert refused.status == AdvocacyStatus.REFUSED


def test_it_refuses_to_send_a_request_that_counts_no_case(world):
    advocacy_request = draft(world)
    with pytest.raises(CaseActionRefused, match="Count at least one case"):
        move(advocacy_request, world, AdvocacyStatus.SENT)
    advocacy_request.refresh_from_db()
    assert advocacy_request.status == AdvocacyStatus.DRAFTED


@pytest.mark.parametrize(
    ("to_status", "message"),
    [
        (AdvocacyStatus.ACKNOWLEDGED, "cannot be marked “Acknowledged”"),
        (AdvocacyStatus.GRANTED, "cannot be marked “Granted”"),
        (AdvocacyStatus.DRAFTED, "already has that status"),
        ("lost", "Choose the request's new status"),
    ],
)
def test_it_refuses_illegal_moves_from_drafted(world, to_status, message):
    advocacy_request = draft(world)
    include(assigned_case(world), advocacy_request)
    with pytest.raises(CaseActionRefused, match=message):
        move(advocacy_request, world, to_status, outcome="x", people_granted=1, people_refused=0)


def test_it_refuses_any_move_after_a_decision(world):
    advocacy_request = sent(world)
    move(advocacy_request, world, "refused", outcome="No.", people_granted=0, people_refused=1)
    with pytest.raises(CaseActionRefused, match="was decided"):
        move(advocacy_request, world, AdvocacyStatus.ACKNOWLEDGED)


def test_it_refuses_dates_in_the_future_or_before_sending(world):
    advocacy_request = sent(world)
    with pytest.raises(CaseActionRefused, match="cannot be in the future"):
        move(advocacy_request, world, AdvocacyStatus.ACKNOWLEDGED, on=TODAY + DAY)
    with pytest.raises(CaseActionRefused, match="before the request was sent"):
        move(advocacy_request, world, AdvocacyStatus.ACKNOWLEDGED, on=TODAY - 4 * DAY)


@pytest.mark.parametrize(
    ("to_status", "decision", "message"),
    [
        (AdvocacyStatus.ACKNOWLEDGED, {"outcome": "Got it"}, "only with a decision"),
        (AdvocacyStatus.ACKNOWLEDGED, {"people_granted": 1}, "only with a decision"),
        (AdvocacyStatus.GRANTED, {"outcome": "Yes", "people_granted": 1}, "granted and refused"),
        (
            AdvocacyStatus.GRANTED,
            {"outcome": "Yes", "people_granted": 0, "people_refused": 0},
            "at least one person",
        ),
        (
            AdvocacyStatus.REFUSED,
            {"outcome": "No", "people_granted": 1, "people_refused": 0},
            "A refusal grants no one",
        ),
        (
            AdvocacyStatus.GRANTED,
            {"outcome": "Yes", "people_granted": 2, "people_refused": 0},
            "counts 1 person",
        ),
        (
            AdvocacyStatus.GRANTED,
            {"outcome": " ", "people_granted": 1, "people_refused": 0},
            "Say what the government decided",
        ),
    ],
)
def test_it_refuses_bad_decisions(world, to_status, decision, message):
    advocacy_request = sent(world)
    with pytest.raises(CaseActionRefused, match=message):
        move(advocacy_request, world, to_status, **decision)
    advocacy_request.refresh_from_db()
    assert advocacy_request.status == AdvocacyStatus.SENT


def test_it_refuses_a_status_change_by_a_caseworker(world):
    advocacy_request = sent(world)
    with pytest.raises(CaseActionRefused, match="Only an advocacy officer"):
        do_change_advocacy_status(
            advocacy_request,
            change=StatusChange(AdvocacyStatus.ACKNOWLEDGED, TODAY),
            actor=world.users["caseworker"],
        )
