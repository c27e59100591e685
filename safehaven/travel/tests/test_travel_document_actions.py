"""Recording and removing a case's travel documents: sealed in the travel compartment, the
renewal reminder's week in clear, and what the planner reads back."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import private_key
from safehaven.travel.compartment import open_travel
from safehaven.travel.documents.actions import (
    do_add_travel_document,
    do_remove_travel_document,
    remind_on,
)
from safehaven.travel.documents.queries import documents_for_planning, opened_documents
from safehaven.travel.models import TravelDocument
from safehaven.travel.tests.helpers import assigned_case

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def worker(world):
    return {"actor": world.users["caseworker"], "private_key": private_key("caseworker")}


def add(world, case, **overrides):
    values = {
        "person": None,
        "kind": "passport",
        "issuing_country": "RU",
        "for_country": "",
        "number": "Sentinel 7712 Qorv",
        "valid_until": TODAY() + datetime.timedelta(days=400),
        "actor": world.users["caseworker"],
        "private_key": private_key("caseworker"),
    }
    values.update(overrides)
    return do_add_travel_document(case, **values)


def test_it_seals_the_details_and_keeps_the_reminder_week_in_clear(world):
    case = assigned_case(world)
    until = datetime.date(2031, 6, 18)
    row = add(world, case, valid_until=until)
    assert b"Sentinel" not in bytes(row.details)
    assert row.remind_on == remind_on("passport", until)
    assert row.remind_on.weekday() == 0
    assert (
        until - datetime.timedelta(days=186)
        <= row.remind_on
        <= until - datetime.timedelta(days=180)
    )
    opened = open_travel(
        case, actor=world.users["caseworker"], private_key=private_key("caseworker")
    )
    details = json.loads(row.open_with(opened).sealed("details"))
    assert details == {
        "issuing_country": "RU",
        "for_country": "",
        "number": "Sentinel 7712 Qorv",
        "valid_until": "2031-06-18",
    }
    event = AuditEvent.objects.filter(event_type=EventType.TRAVEL_DOCUMENT_ADDED).get()
    assert event.detail == f"document {row.item_id} kind passport"


def test_it_reminds_of_a_visa_a_month_before(world):
    until = datetime.date(2031, 6, 18)  # less 30 days: Monday 19 May
    assert remind_on("visa", until) == datetime.date(2031, 5, 19)
    assert remind_on("residence_permit", until) == datetime.date(2031, 5, 19)
    assert remind_on("travel_document", until) == remind_on("passport", until)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"valid_until": datetime.date(2020, 1, 1)}, "expired"),
        ({"kind": "visa", "for_country": ""}, "is for"),
        ({"kind": "visa", "for_country": "XX"}, "not a known country"),
        ({"issuing_country": "ZZ"}, "not a known country"),
        ({"issuing_country": ""}, "issued it"),
        ({"kind": "ticket"}, "kind"),
    ],
)
def test_it_refuses_bad_documents(world, overrides, message):
    case = assigned_case(world)
    with pytest.raises(CaseActionRefused, match=message):
        add(world, case, **overrides)
    assert not TravelDocument.objects.exists()


def test_it_refuses_on_a_closed_case(world):
    case = assigned_case(world)
    case.state = "closed"
    case.save(update_fields=["state"])
    with pytest.raises(CaseActionRefused, match="closed"):
        add(world, case)


def test_it_gives_the_planner_the_passports_and_visas_valid_today(world):
    case = assigned_case(world)
    add(world, case, issuing_country="RU")
    add(world, case, kind="visa", issuing_country="", for_country="am")
    add(world, case, kind="travel_document", issuing_country="UA")
    gone = add(world, case, issuing_country="KZ")
    do_remove_travel_document(gone, **worker(world))
    add(world, case, kind="visa", for_country="GE")
    opened = open_travel(
        case, actor=world.users["caseworker"], private_key=private_key("caseworker")
    )
    assert opened is not None
    # The expiry is sealed: a document whose day passed is read as expired.
    with pytest.MonkeyPatch.context() as patch:
        later = TODAY() + datetime.timedelta(days=500)
        patch.setattr("safehaven.travel.documents.queries.timezone.localdate", lambda: later)
        assert documents_for_planning(case, opened) == ([], [])
    assert documents_for_planning(case, opened) == (["RU", "UA"], ["AM", "GE"])


def test_it_removes_a_document_once(world):
    case = assigned_case(world)
    row = add(world, case)
    do_remove_travel_document(row, **worker(world))
    row.refresh_from_db()
    assert row.removed_at is not None
    with pytest.raises(CaseActionRefused, match="removed already"):
        do_remove_travel_document(row, **worker(world))
    assert AuditEvent.objects.filter(event_type=EventType.TRAVEL_DOCUMENT_REMOVED).count() == 1


def opened_by_caseworker(world, case):
    opened = open_travel(case, **worker(world))
    assert opened is not None
    return opened


def test_it_does_not_open_a_removed_document_restored_in_the_database(world):
    case = assigned_case(world)
    row = add(world, case, issuing_country="KZ")
    do_remove_travel_document(row, **worker(world))
    TravelDocument.objects.filter(pk=row.pk).update(removed_at=None)
    opened = opened_by_caseworker(world, case)
    [shown] = opened_documents(case, opened)
    assert shown.forged
    assert documents_for_planning(case, opened) == ([], [])
    with pytest.raises(CaseActionRefused, match="does not match its seal"):
        do_remove_travel_document(row, **worker(world))


def test_it_does_not_open_a_document_whose_reminder_week_was_moved(world):
    case = assigned_case(world)
    row = add(world, case)
    TravelDocument.objects.filter(pk=row.pk).update(
        remind_on=row.remind_on + datetime.timedelta(days=7)
    )
    opened = opened_by_caseworker(world, case)
    assert [document.forged for document in opened_documents(case, opened)] == [True]
    assert documents_for_planning(case, opened) == ([], [])


def test_it_refuses_to_remove_on_a_closed_case_or_without_the_travel_key(world):
    case = assigned_case(world)
    row = add(world, case)
    with pytest.raises(CaseActionRefused, match="travel records"):
        do_remove_travel_document(
            row, actor=world.users["interpreter"], private_key=private_key("interpreter")
        )
    case.state = "closed"
    case.save(update_fields=["state"])
    row.refresh_from_db()
    with pytest.raises(CaseActionRefused, match="closed"):
        do_remove_travel_document(row, **worker(world))
    row.refresh_from_db()
    assert row.removed_at is None
    assert not AuditEvent.objects.filter(event_type=EventType.TRAVEL_DOCUMENT_REMOVED).exists()
