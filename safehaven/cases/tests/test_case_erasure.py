"""Erasing a closed case (``cases.erasure.do_shred_case``): nothing sealed of it can be read by
anyone, escrow included; its month-level clear facts stay; refusals."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safehaven.accounts.models import User
from safehaven.cases.choices import CaseState, CompartmentKind
from safehaven.cases.erasure.actions import case_is_shredded, do_shred_case
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import (
    Case,
    CaseAssignment,
    CaseNote,
    CasePerson,
    CaseTask,
    CaseTransition,
)
from safehaven.cases.tests.helpers import open_case, primary_request
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import private_key
from safehaven.keys.actions.records import open_with_escrow
from safehaven.keys.exceptions import KeyActionRefused, RecordUnavailable
from safehaven.keys.models import RecordKey, ShreddedRecord, ShredReason
from safehaven.keys.records import open_record
from safehaven.reports.tests.retention_helpers import (
    NOTE,
    REASON,
    SENTINELS,
    STORY,
    TASK,
    clear_columns_holding,
    relocated_case,
)

pytestmark = pytest.mark.django_db


def opens(record_id, username="triage") -> bool:
    try:
        open_record(
            record_id, user=User.objects.get(username=username), private_key=private_key(username)
        )
    except RecordUnavailable:
        return False
    return True


def opens_with_escrow(record_id) -> bool:
    try:
        open_with_escrow(record_id, private_key("admin"), private_key("admin2"))
    except (RecordUnavailable, KeyActionRefused):
        return False
    return True


def test_it_makes_every_record_of_the_case_unreadable_for_everyone(world):
    case = relocated_case(world)
    request = primary_request(case)
    casework = case.compartment_record_id(CompartmentKind.CASEWORK)
    assert casework is not None
    assert request.thread_record_id is not None
    records = [casework, request.record_id, request.thread_record_id]
    # Before: the triage key and escrow open them, so the checks below can fail.
    assert all(opens(record_id) for record_id in records)
    assert opens_with_escrow(casework)

    do_shred_case(case, actor=world.users["admin"])

    assert not any(opens(record_id) for record_id in records)
    assert not opens_with_escrow(casework)
    assert not RecordKey.objects.filter(record_id__in=records).exists()
    listed = dict(
        ShreddedRecord.objects.filter(record_id__in=records).values_list("record_id", "reason")
    )
    assert listed == dict.fromkeys(records, ShredReason.RETENTION)
    assert case_is_shredded(case)


def test_it_blanks_every_sealed_value_and_leaves_no_sentinel_in_clear(world):
    case = relocated_case(world)
    do_shred_case(case, actor=world.users["admin"])

    request = HelpRequest.objects.get(pk=primary_request(case).pk)
    assert request.situation is None
    assert request.shredded_at is not None
    for transition in CaseTransition.objects.filter(case=case):
        assert transition.reason in (None, b"")
    for person in CasePerson.objects.filter(case=case):
        assert person.link in (None, b"")
    # The search finds what is in clear (the audit's detail of the close), so it can fail.
    assert "core.AuditEvent.detail" in clear_columns_holding("arrived -> closed")
    for sentinel in SENTINELS:
        assert clear_columns_holding(sentinel) == [], sentinel


def test_it_keeps_month_level_clear_facts_and_drops_the_rest(world):
    case = relocated_case(world)
    assert CaseTask.objects.filter(case=case).exists()
    assert CaseNote.objects.filter(case=case).exists()
    moves = CaseTransition.objects.filter(case=case).count()
    Case.objects.filter(pk=case.pk).update(referred_by=world.partner_a, languages=["ru"])

    do_shred_case(case, actor=world.users["admin"])

    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.CLOSED
    assert case.outcome == "relocated"
    assert case.country == "RU"
    # Where the person arrived and who referred them go: a journey's record, kept for ever.
    assert case.arrived_in == ""
    assert case.referred_by is None
    assert case.languages == []
    assert case.risk_score == 0
    assert case.risk_band
    start = case.state_changed_at.astimezone(datetime.UTC)
    assert (start.day, start.hour, start.minute) == (1, 0, 0)
    # The moves stay (states and outcome), each to its month; the people stay.
    assert CaseTransition.objects.filter(case=case).count() == moves
    assert all(
        t.at.astimezone(datetime.UTC).day == 1 for t in CaseTransition.objects.filter(case=case)
    )
    assert CasePerson.objects.filter(case=case).count() == 1
    for model in (CaseTask, CaseNote, CaseAssignment):
        assert not model.objects.filter(case=case).exists(), model


def test_it_records_one_event_with_ids_and_counts_only(world):
    case = relocated_case(world)
    do_shred_case(case, actor=world.users["admin"])
    events = AuditEvent.objects.filter(event_type=EventType.CASE_SHREDDED)
    assert events.count() == 1
    event = events.get()
    assert event.target_ref == str(case.pk)
    assert event.actor_id == world.users["admin"].pk
    for sentinel in (STORY, TASK, NOTE, REASON):
        assert sentinel not in event.detail


def test_it_refuses_a_case_that_is_not_closed(world):
    case = open_case(world, situation=STORY)
    with pytest.raises(CaseActionRefused, match="Only a closed case"):
        do_shred_case(case, actor=None)
    assert opens(case.compartment_record_id(CompartmentKind.CASEWORK))
    assert not AuditEvent.objects.filter(event_type=EventType.CASE_SHREDDED).exists()


def test_it_refuses_a_case_already_shredded(world):
    case = relocated_case(world)
    do_shred_case(case, actor=None)
    with pytest.raises(CaseActionRefused, match="already erased"):
        do_shred_case(case, actor=None)
    assert AuditEvent.objects.filter(event_type=EventType.CASE_SHREDDED).count() == 1


def test_a_listing_in_the_shred_list_does_not_make_a_case_erased(world):
    """A database writer lists the case's compartments as shredded: its keys are there, so it
    is not erased, and erasing it destroys them."""
    case = relocated_case(world)
    compartments = list(case.compartments.values_list("record_id", flat=True))
    ShreddedRecord.objects.bulk_create(
        ShreddedRecord(record_id=record_id, reason=ShredReason.RETENTION)
        for record_id in compartments
    )
    assert not case_is_shredded(case)

    do_shred_case(case, actor=None)

    assert not RecordKey.objects.filter(record_id__in=compartments).exists()
    assert case_is_shredded(case)


def test_it_destroys_the_keys_of_records_listed_in_part(world):
    case = relocated_case(world)
    casework = case.compartment_record_id(CompartmentKind.CASEWORK)
    request = primary_request(case)
    assert casework is not None
    assert request.thread_record_id is not None
    ShreddedRecord.objects.create(record_id=casework, reason=ShredReason.RETENTION)
    ShreddedRecord.objects.create(record_id=request.record_id, reason=ShredReason.RETENTION)
    assert opens(casework)

    do_shred_case(case, actor=None)

    records = [casework, request.record_id, request.thread_record_id]
    assert not RecordKey.objects.filter(record_id__in=records).exists()
    assert not any(opens(record_id) for record_id in records)
    event = AuditEvent.objects.get(event_type=EventType.CASE_SHREDDED)
    assert "listed records shredded again" in event.detail


def test_a_request_marked_erased_in_the_database_loses_its_keys_too(world):
    case = relocated_case(world)
    request = primary_request(case)
    HelpRequest.objects.filter(pk=request.pk).update(shredded_at=timezone.now())
    do_shred_case(case, actor=None)
    assert not RecordKey.objects.filter(record_id=request.record_id).exists()
    assert case_is_shredded(case)


def test_a_case_with_a_key_left_is_not_erased(world):
    case = relocated_case(world)
    do_shred_case(case, actor=None)
    assert case_is_shredded(case)
    # Brought back (a restore): the case reads as not erased again.
    request = primary_request(case)
    RecordKey.objects.create(
        record_id=request.record_id, inbox_public_key=b"x" * 32, sealed_inbox_private_key=b"x"
    )
    assert not case_is_shredded(case)
