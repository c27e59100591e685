"""Starting a pathway, recording its steps, ending it, and sending its sheet."""

from __future__ import annotations

import dataclasses
import datetime
import html as html_lib

import pytest
from django.utils import timezone, translation

from safehaven.cases.compartments import open_casework
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.opening.actions import do_accept_help_request
from safehaven.cases.tests.helpers import primary_request, staff_member
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
from safehaven.travel.choices import PathwayKind, PathwayState, StepOutcome
from safehaven.travel.models import PathwayStep
from safehaven.travel.pathways import actions
from safehaven.travel.pathways.actions import (
    do_end_pathway,
    do_record_pathway_step,
    do_send_pathway_sheet,
    do_start_pathway,
)
from safehaven.travel.pathways.catalogue import pathway
from safehaven.travel.tests.helpers import assigned_case, primary_person

pytestmark = pytest.mark.django_db

NOTES = "Sentinel Brumwick: partner in the capital"


def start(world, case, kind=PathwayKind.UNHCR_RESETTLEMENT, **overrides):
    values = {
        "kind": kind,
        "owner": world.users["caseworker"],
        "notes": NOTES,
        "actor": world.users["caseworker"],
        "private_key": private_key("caseworker"),
    }
    values.update(overrides)
    return do_start_pathway(case, **values)


def record(world, step, **overrides):
    values = {
        "outcome": StepOutcome.DONE,
        "done_on": None,
        "due_on": step.due_on,
        "owner": world.users["caseworker"],
        "note": "",
        "actor": world.users["caseworker"],
        "private_key": private_key("caseworker"),
    }
    values.update(overrides)
    return do_record_pathway_step(step, **values)


def test_it_starts_a_pathway_with_its_steps_due(world):
    case = assigned_case(world)
    row = start(world, case)
    today = timezone.localdate()
    entry = pathway(PathwayKind.UNHCR_RESETTLEMENT)
    steps = list(row.steps.order_by("position"))
    assert [s.step for s in steps] == [s.code for s in entry.steps]
    assert [s.due_on for s in steps] == [
        today + datetime.timedelta(days=s.days) for s in entry.steps
    ]
    assert {s.owner for s in steps} == {world.users["caseworker"]}
    assert NOTES.encode() not in bytes(row.notes)
    event = AuditEvent.objects.get(event_type=EventType.PATHWAY_STARTED)
    assert event.detail == f"pathway {row.item_id} kind unhcr_resettlement"


def test_it_refuses_a_kind_already_active_and_a_closed_case(world):
    case = assigned_case(world)
    start(world, case)
    with pytest.raises(CaseActionRefused, match="already"):
        start(world, case)
    start(world, case, kind=PathwayKind.SUPPORT_IN_PLACE)  # several pathways at once
    case.state = "closed"
    case.save(update_fields=["state"])
    with pytest.raises(CaseActionRefused, match="closed"):
        start(world, case, kind=PathwayKind.CANADA_GAR)


def test_it_refuses_an_owner_who_may_not_hold_the_case(world):
    case = assigned_case(world)
    other = staff_member(world, "other_caseworker")
    with pytest.raises(CaseActionRefused, match="caseworker"):
        start(world, case, owner=other)
    row = start(world, case, owner=world.users["triage"])  # triage manages cases
    with pytest.raises(CaseActionRefused, match="caseworker"):
        record(world, row.steps.first(), owner=other)


def test_it_records_a_step_and_keeps_its_note_sealed(world):
    case = assigned_case(world)
    row = start(world, case)
    step = row.steps.order_by("position").first()
    record(world, step, note="Sentinel Harrowgate office")
    step.refresh_from_db()
    assert step.outcome == StepOutcome.DONE
    assert step.done_on == timezone.localdate()
    assert b"Harrowgate" not in bytes(step.note)
    # A later record without a note keeps it, sealed again with the new outcome bound in.
    later = timezone.localdate() + datetime.timedelta(days=9)
    record(world, step, outcome=StepOutcome.PENDING, due_on=later)
    step.refresh_from_db()
    assert (step.outcome, step.done_on, step.due_on) == ("", None, later)
    opened = open_casework(
        case, actor=world.users["caseworker"], private_key=private_key("caseworker")
    )
    assert step.open_with(opened).sealed("note") == "Sentinel Harrowgate office"
    assert AuditEvent.objects.filter(event_type=EventType.PATHWAY_STEP_RECORDED).count() == 2


def test_it_refuses_a_step_done_in_the_future_or_on_an_ended_pathway(world):
    case = assigned_case(world)
    row = start(world, case)
    step = row.steps.first()
    with pytest.raises(CaseActionRefused, match="still to come"):
        record(world, step, done_on=timezone.localdate() + datetime.timedelta(days=1))
    do_end_pathway(
        row,
        state=PathwayState.WITHDRAWN,
        actor=world.users["caseworker"],
        private_key=private_key("caseworker"),
        reason="The person chose another way.",
    )
    with pytest.raises(CaseActionRefused, match="ended"):
        record(world, step)


def test_it_ends_a_pathway_once_with_a_reason(world):
    case = assigned_case(world)
    row = start(world, case)
    kwargs = {"actor": world.users["caseworker"], "private_key": private_key("caseworker")}
    with pytest.raises(CaseActionRefused, match="reason"):
        do_end_pathway(row, state=PathwayState.SUCCEEDED, reason=" ", **kwargs)
    with pytest.raises(CaseActionRefused, match="how"):
        do_end_pathway(row, state=PathwayState.ACTIVE, reason="x", **kwargs)
    ended = do_end_pathway(row, state=PathwayState.SUCCEEDED, reason="Accepted.", **kwargs)
    assert (ended.state, ended.ended_on) == (PathwayState.SUCCEEDED, timezone.localdate())
    with pytest.raises(CaseActionRefused, match="ended"):
        do_end_pathway(row, state=PathwayState.WITHDRAWN, reason="Again.", **kwargs)
    event = AuditEvent.objects.get(event_type=EventType.PATHWAY_ENDED)
    assert event.detail == f"pathway {row.item_id} kind unhcr_resettlement succeeded"
    # A new pathway of the same kind may start once the old one has ended.
    start(world, case)


def test_it_sends_the_sheet_to_the_persons_thread_and_status_page(world):
    case = assigned_case(world)
    request = primary_request(case)
    row = start(world, case, kind=PathwayKind.CANADA_GAR)
    sent = do_send_pathway_sheet(
        row,
        people=[primary_person(case).pk],
        actor=world.users["caseworker"],
        private_key=private_key("caseworker"),
    )
    assert sent == 1
    body = "\n\n".join(str(p) for p in pathway(PathwayKind.CANADA_GAR).sheet)
    assert thread_bodies(request)[-1] == ("staff", body)
    event = AuditEvent.objects.get(event_type=EventType.PATHWAY_SHEET_SENT)
    assert event.detail == f"pathway {row.item_id} kind canada_gar to 1"


def test_it_sends_the_sheet_in_the_language_of_the_persons_page(world, monkeypatch):
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
    # person's page and not the sender's.
    entry = dataclasses.replace(
        pathway(PathwayKind.SUPPORT_IN_PLACE),
        sheet=(REQUESTER_STATUS_TEXT[RequestStatus.CLOSED],),
    )
    monkeypatch.setattr(actions, "pathway", lambda kind: entry)
    row = start(
        world,
        case,
        kind=PathwayKind.SUPPORT_IN_PLACE,
        owner=world.users["triage"],
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    with translation.override("fr"):
        do_send_pathway_sheet(
            row,
            people=[primary_person(case).pk],
            actor=world.users["triage"],
            private_key=private_key("triage"),
        )
    with translation.override("ru"):
        russian = str(REQUESTER_STATUS_TEXT[RequestStatus.CLOSED])
    assert russian != "Your request is closed."
    assert thread_bodies(request)[-1] == ("staff", russian)
    page = requester_client(codename).get("/ru/status/request/").content.decode()
    assert russian in html_lib.unescape(page)


def test_it_shows_the_real_sheet_on_the_status_page(world):
    codename = submit_request()
    case = do_accept_help_request(
        latest_request(),
        reason="Accepted.",
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    row = start(
        world,
        case,
        kind=PathwayKind.UNHCR_RESETTLEMENT,
        owner=world.users["triage"],
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    do_send_pathway_sheet(
        row,
        people=[primary_person(case).pk],
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    page = html_lib.unescape(requester_client(codename).get("/en/status/request/").content.decode())
    for paragraph in pathway(PathwayKind.UNHCR_RESETTLEMENT).sheet:
        assert str(paragraph) in page
    assert NOTES not in page


def test_it_refuses_the_sheet_when_no_thread_opens(world):
    case = assigned_case(world)
    row = start(world, case)
    HelpRequest.objects.filter(pk=primary_request(case).pk).update(withdrawn_at=timezone.now())
    with pytest.raises(CaseActionRefused, match="No person"):
        do_send_pathway_sheet(
            row,
            people=[primary_person(case).pk],
            actor=world.users["caseworker"],
            private_key=private_key("caseworker"),
        )
    assert not AuditEvent.objects.filter(event_type=EventType.PATHWAY_SHEET_SENT).exists()
    assert PathwayStep.objects.filter(pathway=row).count() == len(pathway(row.kind).steps)
