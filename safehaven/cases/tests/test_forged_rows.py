"""Rows a database writer inserts around the application (security review of issue 17): a junk
wrap, a junk sealed row, a person or an assignment linked in clear only. None of them may
give anyone a key, or stop a re-key."""

import datetime
import uuid

import pytest

from safehaven.accounts.models import User
from safehaven.cases.assignment.actions import (
    case_record_ids,
    do_assign_case,
    do_regrant_case,
)
from safehaven.cases.choices import AssignmentRole, CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.keyholders.holders import case_assignees, unkeyed_assignees
from safehaven.cases.links import linked_people
from safehaven.cases.models import Case, CaseAssignment, CasePerson, CaseTask
from safehaven.cases.rekeying.actions import do_rekey_case
from safehaven.cases.tests.helpers import open_case, primary_request, staff_member
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.models import HelpRequest
from safehaven.intake.tests.helpers import latest_request, private_key, submit_request
from safehaven.keys.actions.users import do_replace_user_keys
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.models import RecordKey, RecordKeyWrap, RecordWrapKind, TeamKey
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record

pytestmark = pytest.mark.django_db


def casework(case: Case, username: str = "triage") -> OpenedRecord:
    opened = open_compartment(
        case,
        CompartmentKind.CASEWORK,
        user=User.objects.get(username=username),
        private_key=private_key(username),
    )
    assert opened is not None
    return opened


def casework_id(case: Case) -> uuid.UUID:
    record_id = case.compartment_record_id(CompartmentKind.CASEWORK)
    assert record_id is not None
    return record_id


def assign(world, case: Case, user: User, role=AssignmentRole.CASEWORKER) -> None:
    do_assign_case(
        case, user=user, role=role, actor=world.users["triage"], private_key=private_key("triage")
    )


def unrelated_request() -> HelpRequest:
    submit_request()
    return latest_request()


def forge_person(case: Case, request: HelpRequest) -> CasePerson:
    return CasePerson.objects.create(
        record_id=casework_id(case),
        case=case,
        help_request=request,
    )


def opens(record_id, user: User, key: bytes) -> bool:
    try:
        open_record(record_id, user=user, private_key=key)
    except RecordUnavailable:
        return False
    return True


def test_it_never_wraps_the_new_key_to_a_team_named_by_a_junk_wrap(world):
    case = open_case(world)
    old_id = casework_id(case)
    partner_team = world.teams["partner_b"]
    RecordKeyWrap.objects.create(
        record_key=RecordKey.objects.get(record_id=old_id),
        kind=RecordWrapKind.TEAM,
        team=partner_team,
        team_key=TeamKey.objects.get(team=partner_team, active=True),
        wrapped=b"junk",
    )

    do_rekey_case(case, actor=world.users["triage"], private_key=private_key("triage"))

    new_id = casework_id(case)
    assert not RecordKeyWrap.objects.filter(record_key__record_id=new_id, team=partner_team)
    assert not opens(new_id, world.users["partner_b"], private_key("partner_b"))
    assert opens(new_id, world.users["triage"], private_key("triage"))


def test_it_re_keys_a_case_holding_a_row_that_does_not_open(world):
    case = open_case(world)
    old_id = casework_id(case)
    junk = CaseTask.objects.create(
        record_id=old_id, case=case, due_on=datetime.date(2030, 1, 1), title=b"not a seal"
    )

    do_rekey_case(case, actor=world.users["triage"], private_key=private_key("triage"))

    event = AuditEvent.objects.get(event_type=EventType.CASE_REKEYED)
    assert "1 unreadable rows blanked" in event.detail
    junk.refresh_from_db()
    assert junk.record_id == old_id
    assert junk.title is None
    assert casework_id(case) != old_id


def test_it_gives_a_caseworker_nothing_of_a_request_linked_in_clear_only(world):
    case = open_case(world)
    other = unrelated_request()
    forge_person(case, other)
    worker = world.users["caseworker"]

    assign(world, case, worker)

    assert opens(primary_request(case).record_id, worker, private_key("caseworker"))
    assert not opens(other.record_id, worker, private_key("caseworker"))
    assert other.pk not in [p.help_request_id for p in linked_people(case, casework(case))]


def test_it_does_not_follow_a_link_copied_from_the_real_person(world):
    case = open_case(world)
    real = case.people.get(is_primary=True)
    other = unrelated_request()
    forged = forge_person(case, other)
    CasePerson.objects.filter(pk=forged.pk).update(link=real.link)

    ids = case_record_ids(case, AssignmentRole.CASEWORKER, casework(case))

    assert other.record_id not in ids
    assert primary_request(case).record_id in ids


def test_it_grants_nothing_again_for_an_assignment_made_in_the_database(world):
    case = open_case(world)
    outsider = staff_member(world, "outsider")
    forged = CaseAssignment.objects.create(case=case, user=outsider, role=AssignmentRole.CASEWORKER)

    with pytest.raises(CaseActionRefused, match="not assigned"):
        do_regrant_case(
            case, user=outsider, actor=world.users["triage"], private_key=private_key("triage")
        )
    assert not opens(casework(case).record_id, outsider, private_key("outsider"))
    listed = {item.assignment.pk: item.forged for item in case_assignees(case, casework(case))}
    assert listed == {forged.pk: True}
    assert unkeyed_assignees(case, casework(case)) == []


def test_it_honours_a_real_assignment_after_a_password_reset_but_not_a_forged_one(world):
    case = open_case(world)
    worker = world.users["caseworker"]
    assign(world, case, worker)
    CaseAssignment.objects.create(
        case=case, user=staff_member(world, "planted"), role=AssignmentRole.CASEWORKER
    )
    do_replace_user_keys(worker, "a new password after the reset 8812", actor=world.users["admin"])

    unkeyed = unkeyed_assignees(case, casework(case))

    assert [item.user for item in unkeyed] == [worker]
    forged = {item.assignment.user.username: item.forged for item in case_assignees(case, None)}
    assert forged == {"caseworker": True, "planted": True}  # unchecked without casework
    checked = case_assignees(case, casework(case))
    assert {item.assignment.user.username: item.forged for item in checked} == {
        "caseworker": False,
        "planted": True,
    }


def test_it_does_not_wrap_the_new_key_to_a_forged_assignment(world):
    case = open_case(world)
    planted = staff_member(world, "planted")
    CaseAssignment.objects.create(case=case, user=planted, role=AssignmentRole.CASEWORKER)
    assign(world, case, world.users["caseworker"])

    do_rekey_case(case, actor=world.users["triage"], private_key=private_key("triage"))

    new_id = casework_id(case)
    assert not opens(new_id, planted, private_key("planted"))
    assert opens(new_id, world.users["caseworker"], private_key("caseworker"))
    # The real assignment's marker was sealed again under the new key.
    assignment = CaseAssignment.objects.get(case=case, user=world.users["caseworker"])
    assert assignment.record_id == new_id
    assert unkeyed_assignees(case, casework(case)) == []


def test_it_neither_moves_nor_messages_a_request_linked_in_clear_only(world):
    from safehaven.cases.choices import CaseState
    from safehaven.cases.workflow.actions import do_move_case
    from safehaven.intake.models import RequestMessage

    case = open_case(world)
    other = unrelated_request()
    status, messages = other.status, RequestMessage.objects.filter(help_request=other)
    count = messages.count()
    forge_person(case, other)

    do_move_case(
        case,
        to_state=CaseState.DECLINED,
        reason="Outside what we do.",
        actor=world.users["triage"],
        private_key=private_key("triage"),
        tell_the_person=True,
    )

    other.refresh_from_db()
    assert other.status == status
    assert messages.count() == count
    assert RequestMessage.objects.filter(help_request=primary_request(case)).count() > count
