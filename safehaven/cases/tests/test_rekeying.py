"""Re-keying a case after a hostile departure: a new key for each compartment, every sealed row
sealed again under it, the old key shredded, the departed person's copies useless."""

import datetime

import pytest
from django.db import connection

from safehaven.accounts.models import User
from safehaven.cases.assignment.actions import do_assign_case, do_unassign_case
from safehaven.cases.choices import AssignmentRole, CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CaseTask
from safehaven.cases.rekeying.actions import do_rekey_case
from safehaven.cases.tests.helpers import open_case, staff_member
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys
from safehaven.keys.models import RecordKey, ShreddedRecord, ShredReason
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.shred import sealed_models

pytestmark = pytest.mark.django_db

SENTINEL = "SENTINEL-rekey-7fq2 the safe house on Lenin street"


def casework(case: Case, username: str) -> OpenedRecord | None:
    user = User.objects.get(username=username)
    return open_compartment(
        case, CompartmentKind.CASEWORK, user=user, private_key=private_key(username)
    )


def assign(world, case: Case, user: User) -> None:
    do_assign_case(
        case,
        user=user,
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )


def add_task(case: Case, opened: OpenedRecord, title: str) -> CaseTask:
    task = CaseTask(record_id=opened.record_id, case=case, due_on=datetime.date(2030, 1, 1))
    task.open_with(opened).seal("title", title)
    task.save()
    return task


def sealed_rows_of(record_id) -> list:
    # Models of other tests' apps may have no table in this run.
    tables = set(connection.introspection.table_names())
    return [
        row
        for model in sealed_models()
        if model.sealed_field_names() and model._meta.db_table in tables
        for row in model._default_manager.filter(record_id=record_id)
    ]


@pytest.fixture
def departed_case(world):
    """A case whose casework holds the sentinel, given to a caseworker who copied its key and
    was then taken off it; another caseworker stays assigned."""
    case = open_case(world, reason=f"Opened: {SENTINEL}")
    departed = staff_member(world, "departed")
    assign(world, case, departed)
    assign(world, case, world.users["caseworker"])
    copied = casework(case, "departed")
    assert copied is not None
    add_task(case, copied, SENTINEL)
    do_unassign_case(
        case, user=departed, role=AssignmentRole.CASEWORKER, actor=world.users["triage"]
    )
    return case, departed, copied


def test_it_gives_the_case_a_new_key_that_the_old_one_cannot_open(world, departed_case):
    case, _departed, copied = departed_case
    old_rows = sealed_rows_of(copied.record_id)
    assert len(old_rows) >= 3  # the person, the opening transition, the task

    do_rekey_case(case, actor=world.users["triage"], private_key=private_key("triage"))

    new_id = case.compartment_record_id(CompartmentKind.CASEWORK)
    assert new_id != copied.record_id
    assert not RecordKey.objects.filter(record_id=copied.record_id).exists()
    assert sealed_rows_of(copied.record_id) == []
    assert ShreddedRecord.objects.get(record_id=copied.record_id).reason == ShredReason.REKEYED
    # The copied key opens none of the rows now sealed under the new one.
    rows = sealed_rows_of(new_id)
    assert len(rows) == len(old_rows)
    for row in rows:
        for name in row.sealed_field_names():
            value = getattr(row, name)
            if value is not None:
                with pytest.raises(SealError):
                    copied.open(row.sealed_binding(name), bytes(value))
    assert casework(case, "departed") is None
    assert (
        AuditEvent.objects.filter(
            event_type=EventType.CASE_REKEYED, target_ref=str(case.pk)
        ).count()
        == 1
    )


@pytest.mark.parametrize("reader", ["triage", "supervisor", "caseworker"])
def test_it_leaves_the_sentinel_readable_by_those_who_should_read_it(world, departed_case, reader):
    case, _departed, _copied = departed_case
    do_rekey_case(case, actor=world.users["triage"], private_key=private_key("triage"))
    opened = casework(case, reader)
    assert opened is not None
    assert case.tasks.get().open_with(opened).sealed("title") == SENTINEL
    assert SENTINEL in case.transitions.get().open_with(opened).sealed("reason")


def test_it_refuses_someone_whose_key_does_not_open_the_case(world):
    case = open_case(world)
    with pytest.raises(CaseActionRefused, match="cannot open every part"):
        do_rekey_case(case, actor=world.users["caseworker"], private_key=private_key("caseworker"))
    assert not ShreddedRecord.objects.exists()


def test_it_re_keys_from_the_panel_only_when_confirmed(world):
    case = open_case(world)
    old_id = case.compartment_record_id(CompartmentKind.CASEWORK)
    client = staff_client_with_keys(world, "triage")
    url = f"/en/staff/cases/{case.pk}/keys/rekey/"

    response = client.post(url, follow=False)
    assert response.status_code == 302
    assert case.compartment_record_id(CompartmentKind.CASEWORK) == old_id

    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/staff/cases/{case.pk}/")
    assert case.compartment_record_id(CompartmentKind.CASEWORK) != old_id


def test_it_refuses_re_keying_to_a_caseworker(world):
    case = open_case(world)
    assign(world, case, world.users["caseworker"])
    client = staff_client_with_keys(world, "caseworker")
    response = client.post(f"/en/staff/cases/{case.pk}/keys/rekey/", {"confirm": "yes"})
    assert response.status_code == 403


def test_it_re_seals_the_rows_other_features_add_to_casework(world):
    from safehaven.cases.contact_log.actions import do_add_case_note

    case = open_case(world)
    note = do_add_case_note(
        case, body=SENTINEL, actor=world.users["triage"], private_key=private_key("triage")
    )
    do_rekey_case(case, actor=world.users["supervisor"], private_key=private_key("supervisor"))
    opened = casework(case, "triage")
    assert opened is not None
    note = type(note).objects.get(pk=note.pk)
    assert note.record_id == opened.record_id
    assert note.open_with(opened).sealed("body") == SENTINEL
