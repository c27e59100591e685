"""Pathway rows a database writer inserts or changes (S18r, finding 4): every row the
application writes carries a seal, the pathway's state and end day and a step's outcome and
done day are bound into it, so a row without a seal or with a changed clear column is shown as
forged and no action works on it."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys
from safehaven.travel.choices import PathwayKind, PathwayState, StepOutcome
from safehaven.travel.models import CasePathway, PathwayStep
from safehaven.travel.pathways.actions import (
    do_end_pathway,
    do_record_pathway_step,
    do_send_pathway_sheet,
    do_start_pathway,
)
from safehaven.travel.tests.helpers import assigned_case, primary_person

pytestmark = pytest.mark.django_db

FORGED = "This pathway does not match its seal"


def worker(world):
    return {"actor": world.users["caseworker"], "private_key": private_key("caseworker")}


def start(world, case, notes=""):
    return do_start_pathway(
        case,
        kind=PathwayKind.CANADA_GAR,
        owner=world.users["caseworker"],
        notes=notes,
        **worker(world),
    )


def page(world, case):
    client = staff_client_with_keys(world, "caseworker")
    return client.get(f"/en/staff/cases/{case.pk}/").content.decode().replace("&#x27;", "'")


def record(world, step):
    return do_record_pathway_step(
        step,
        outcome=StepOutcome.DONE,
        done_on=None,
        due_on=step.due_on,
        owner=world.users["caseworker"],
        note="",
        **worker(world),
    )


def refused_everywhere(world, case, row, step):
    with pytest.raises(CaseActionRefused):
        record(world, step)
    with pytest.raises(CaseActionRefused):
        do_send_pathway_sheet(row, people=[primary_person(case).pk], **worker(world))
    with pytest.raises(CaseActionRefused):
        do_end_pathway(row, state=PathwayState.WITHDRAWN, reason="Gone.", **worker(world))


def test_it_seals_empty_notes_and_step_notes(world):
    case = assigned_case(world)
    row = start(world, case)
    row.refresh_from_db()
    assert row.notes is not None
    assert all(step.note is not None for step in row.steps.all())


def test_it_shows_a_pathway_inserted_in_the_database_as_forged(world):
    case = assigned_case(world)
    genuine = start(world, case)
    row = CasePathway.objects.create(
        record_id=genuine.record_id,
        case=case,
        kind=PathwayKind.UNHCR_RESETTLEMENT,
        owner=world.users["caseworker"],
        started_on=timezone.localdate(),
    )
    step = PathwayStep.objects.create(
        record_id=genuine.record_id,
        pathway=row,
        step="register",
        position=0,
        outcome=StepOutcome.DONE,
        done_on=timezone.localdate(),
    )
    shown = page(world, case)
    assert shown.count(FORGED) == 1
    assert f"/travel/pathways/{row.pk}/send-sheet/" not in shown
    assert f"/travel/pathways/{row.pk}/end/" not in shown
    assert f"/travel/pathways/steps/{step.pk}/" not in shown
    assert f"/travel/pathways/{genuine.pk}/send-sheet/" in shown
    refused_everywhere(world, case, row, step)


def test_it_shows_a_step_whose_outcome_was_changed_in_the_database_as_forged(world):
    case = assigned_case(world)
    row = start(world, case)
    step = row.steps.order_by("position").first()
    PathwayStep.objects.filter(pk=step.pk).update(
        outcome=StepOutcome.DONE, done_on=timezone.localdate()
    )
    shown = page(world, case)
    assert "Does not match its seal: do not rely on this step." in shown
    assert f"/travel/pathways/steps/{step.pk}/" not in shown
    step.refresh_from_db()
    with pytest.raises(CaseActionRefused, match="does not match its seal"):
        record(world, step)


def test_it_shows_an_ended_pathway_revived_in_the_database_as_forged(world):
    case = assigned_case(world)
    row = start(world, case, notes="Sentinel notes")
    do_end_pathway(row, state=PathwayState.WITHDRAWN, reason="Chose another way.", **worker(world))
    CasePathway.objects.filter(pk=row.pk).update(state=PathwayState.ACTIVE, ended_on=None)
    row.refresh_from_db()
    shown = page(world, case)
    assert FORGED in shown
    assert "Sentinel notes" not in shown
    assert f"/travel/pathways/{row.pk}/send-sheet/" not in shown
    refused_everywhere(world, case, row, row.steps.order_by("position").first())


def test_it_does_not_open_a_seal_copied_from_another_row(world):
    case = assigned_case(world)
    row = start(world, case)
    other = CasePathway.objects.create(
        record_id=row.record_id,
        case=case,
        kind=row.kind,
        started_on=row.started_on,
        item_id=uuid.uuid4(),
        notes=row.notes,
    )
    assert page(world, case).count(FORGED) == 1
    with pytest.raises(CaseActionRefused):
        do_end_pathway(other, state=PathwayState.WITHDRAWN, reason="Gone.", **worker(world))
