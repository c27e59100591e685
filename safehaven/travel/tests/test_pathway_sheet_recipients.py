"""Sending a pathway's sheet: only for an active pathway, only to the people of the household
the caseworker chooses (S18r, finding 3)."""

from __future__ import annotations

import pytest

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.opening.actions import do_join_household
from safehaven.cases.tests.helpers import open_case, primary_request
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import (
    latest_request,
    private_key,
    staff_client_with_keys,
    submit_request,
    thread_bodies,
)
from safehaven.travel.choices import PathwayKind, PathwayState
from safehaven.travel.pathways.actions import (
    do_end_pathway,
    do_send_pathway_sheet,
    do_start_pathway,
)
from safehaven.travel.pathways.catalogue import pathway
from safehaven.travel.tests.helpers import assigned_case, primary_person

pytestmark = pytest.mark.django_db


def triage(world):
    return {"actor": world.users["triage"], "private_key": private_key("triage")}


def household(world):
    """A case of two people (the second joined by triage), with a pathway started."""
    case = open_case(world)
    submit_request()
    second = do_join_household(case, latest_request(), **triage(world))
    row = do_start_pathway(
        case, kind=PathwayKind.CANADA_GAR, owner=world.users["triage"], notes="", **triage(world)
    )
    return case, second, row


def sheet(row):
    return "\n\n".join(str(p) for p in pathway(row.kind).sheet)


def test_it_sends_the_sheet_only_to_the_people_chosen(world):
    case, second, row = household(world)
    sent = do_send_pathway_sheet(row, people=[second.pk], **triage(world))
    assert sent == 1
    assert thread_bodies(second.help_request)[-1] == ("staff", sheet(row))
    assert ("staff", sheet(row)) not in thread_bodies(primary_request(case))
    assert (
        do_send_pathway_sheet(row, people=[primary_person(case).pk, second.pk], **triage(world))
        == 2
    )
    assert thread_bodies(primary_request(case))[-1] == ("staff", sheet(row))


def test_it_refuses_the_sheet_without_a_choice_or_for_someone_else(world):
    _case, _second, row = household(world)
    with pytest.raises(CaseActionRefused, match="Choose who"):
        do_send_pathway_sheet(row, people=[], **triage(world))
    other = open_case(world)
    with pytest.raises(CaseActionRefused, match="only to people of this case"):
        do_send_pathway_sheet(row, people=[primary_person(other).pk], **triage(world))
    assert not AuditEvent.objects.filter(event_type=EventType.PATHWAY_SHEET_SENT).exists()


def test_it_refuses_the_sheet_for_an_ended_pathway(world):
    case = assigned_case(world)
    worker = {"actor": world.users["caseworker"], "private_key": private_key("caseworker")}
    row = do_start_pathway(
        case, kind=PathwayKind.CANADA_GAR, owner=world.users["caseworker"], notes="", **worker
    )
    do_end_pathway(row, state=PathwayState.WITHDRAWN, reason="Chose another way.", **worker)
    row.refresh_from_db()
    before = len(thread_bodies(primary_request(case)))
    with pytest.raises(CaseActionRefused, match="has ended"):
        do_send_pathway_sheet(row, people=[primary_person(case).pk], **worker)
    assert len(thread_bodies(primary_request(case))) == before


def test_it_offers_each_person_whose_page_the_key_opens_with_the_main_person_ticked(world):
    case, second, _row = household(world)
    page = staff_client_with_keys(world, "triage").get(f"/en/staff/cases/{case.pk}/")
    text = page.content.decode()
    assert f'name="people" value="{primary_person(case).pk}" checked' in text
    assert f'name="people" value="{second.pk}">' in text
