"""A row without its seal is forged, never genuine: a database writer (no key) who inserts or
changes rows with NULL where a seal should be gets no check confirmed, no approval decided,
no reason or note shown as genuine, no caution hidden and no verified state trusted."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from safehaven.cases.case_tasks.actions import do_add_case_task, do_complete_case_task
from safehaven.cases.choices import (
    ApprovalDecision,
    CaseState,
    CompartmentKind,
    VerificationItemKind,
    VerificationMethod,
    VerificationStatus,
)
from safehaven.cases.compartments import open_compartment
from safehaven.cases.contact_log.actions import do_log_contact_attempt
from safehaven.cases.contact_log.choices import ContactChannel, ContactOutcome
from safehaven.cases.contact_log.models import CaseNote, ContactAttempt
from safehaven.cases.contact_log.queries import open_log
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CaseTask, CaseTransition, VerificationApproval
from safehaven.cases.models import VerificationItem as Item
from safehaven.cases.tests.helpers import open_case
from safehaven.cases.tests.verification_helpers import (
    add_second_supervisor,
    case_in_verification,
    confirm_checklist,
)
from safehaven.cases.verification.actions import (
    do_approve_verification,
    do_refuse_verification,
    do_request_verification,
)
from safehaven.cases.verification.checklist import missing_items
from safehaven.cases.workflow.actions import do_move_case
from safehaven.core.coarse_time import this_hour
from safehaven.core.crypto import SealError
from safehaven.intake.tests.helpers import private_key, staff_client_with_keys
from safehaven.keys.fields import MissingSeal

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
CAUTION_NOTE = "Sentinel-Caution-Brackwater: her brother answered"


def casework(world, case, username="triage"):
    opened = open_compartment(
        case,
        CompartmentKind.CASEWORK,
        user=world.users[username],
        private_key=private_key(username),
    )
    assert opened is not None
    return opened


def record_id(case):
    return case.compartment_record_id(CompartmentKind.CASEWORK)


def forge_confirmed_checklist(world, case):
    """What a database writer inserts: every item confirmed by a real caseworker, no seal."""
    for item, method in (
        (VerificationItemKind.IDENTITY, VerificationMethod.DOCUMENT),
        (VerificationItemKind.RISK, VerificationMethod.INTERVIEW),
        (VerificationItemKind.LGBTQ_IDENTITY, VerificationMethod.INTERVIEW),
    ):
        Item.objects.create(
            record_id=record_id(case),
            case=case,
            item=item,
            status=VerificationStatus.CONFIRMED,
            method=method,
            actor=world.users["caseworker"],
            at=this_hour(),
        )


def page(client: Client, case: Case) -> str:
    return client.get(f"/en/staff/cases/{case.pk}/").content.decode()


# 1. A required sealed field without its value raises, as a seal that does not open.


def test_it_raises_for_a_required_sealed_field_without_its_seal(world):
    case = open_case(world)
    transition = case.transitions.get()
    CaseTransition.objects.filter(pk=transition.pk).update(reason=None)
    transition.refresh_from_db()
    with pytest.raises(MissingSeal):
        transition.open_with(casework(world, case)).sealed("reason")
    assert issubclass(MissingSeal, SealError)
    with pytest.raises(MissingSeal):
        transition.sealed_bytes("reason")


def test_it_seals_an_empty_note_when_the_user_typed_none(world):
    case = case_in_verification(world)
    confirm_checklist(world, case)  # notes typed: none
    approval = do_request_verification(
        case, actor=world.users["caseworker"], private_key=private_key("caseworker")
    )
    opened = casework(world, case)
    for row in Item.objects.filter(case=case):
        assert row.note is not None
        assert row.open_with(opened).sealed("note") == ""
    assert approval.note is not None
    assert approval.open_with(opened).sealed("note") == ""


# 2. Decisions count only rows whose seal opens.


def test_it_never_counts_a_checklist_inserted_without_seals(world):
    case = case_in_verification(world)
    forge_confirmed_checklist(world, case)
    assert len(missing_items(case, casework(world, case))) == 3
    with pytest.raises(CaseActionRefused, match="Still to confirm"):
        do_request_verification(
            case, actor=world.users["caseworker"], private_key=private_key("caseworker")
        )
    assert not VerificationApproval.objects.exists()


def test_it_never_approves_over_a_forged_newest_check(world):
    case = case_in_verification(world)
    confirm_checklist(world, case, username="supervisor")
    approval = do_request_verification(
        case, actor=world.users["supervisor"], private_key=private_key("supervisor")
    )
    # A newer forged row for one item: where the item stands can no longer be trusted.
    Item.objects.create(
        record_id=record_id(case),
        case=case,
        item=VerificationItemKind.RISK,
        status=VerificationStatus.CONFIRMED,
        method=VerificationMethod.INTERVIEW,
        actor=world.users["caseworker"],
        at=this_hour() + datetime.timedelta(hours=1),
    )
    second = add_second_supervisor(world)
    with pytest.raises(CaseActionRefused, match="no longer confirmed: Risk"):
        do_approve_verification(
            approval, actor=second, private_key=private_key("supervisor2"), note=""
        )
    case.refresh_from_db()
    assert case.state == CaseState.VERIFICATION


def test_it_shows_forged_checks_and_decisions_as_forged_on_the_panel(world):
    case = case_in_verification(world)
    forge_confirmed_checklist(world, case)
    VerificationApproval.objects.create(
        record_id=record_id(case),
        case=case,
        requested_by=world.users["caseworker"],
        decided_by=world.users["supervisor"],
        decided_at=this_hour(),
        decision=ApprovalDecision.APPROVED,
    )
    html = page(staff_client_with_keys(world, "triage"), case)
    assert html.count("This note does not match its seal") == 4
    assert 'id="verification-missing"' in html


def test_it_shows_a_move_without_its_reason_as_forged_in_the_history(world):
    case = open_case(world)
    CaseTransition.objects.create(
        record_id=record_id(case),
        case=case,
        from_state=CaseState.RECEIVED,
        to_state=CaseState.SCREENING,
        actor=world.users["triage"],
        at=this_hour(),
    )
    html = page(staff_client_with_keys(world, "triage"), case)
    assert html.count("This reason does not match its seal") == 1


def test_it_keeps_the_caution_when_a_forged_newer_attempt_says_reached(world):
    case = open_case(world)
    do_log_contact_attempt(
        case,
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.WRONG_PERSON,
        next_try_on=None,
        note=CAUTION_NOTE,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    ContactAttempt.objects.create(
        record_id=record_id(case),
        case=case,
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.REACHED,
        actor=world.users["triage"],
        at=this_hour() + datetime.timedelta(hours=1),
    )
    log = open_log(case, casework(world, case), TODAY)
    assert log.forged == 1
    assert log.caution is not None
    assert log.caution.outcome == ContactOutcome.WRONG_PERSON
    assert [entry.text for entry in log.attempts] == [CAUTION_NOTE]


def test_it_counts_a_row_moved_from_another_case_as_forged(world):
    case = open_case(world)
    other = open_case(world)
    note = CaseNote.objects.create(
        record_id=record_id(other),
        case=other,
        author=world.users["triage"],
        body=b"anything",
    )
    CaseNote.objects.filter(pk=note.pk).update(case=case)
    log = open_log(case, casework(world, case), TODAY)
    assert log.forged == 1
    assert log.notes == []
    html = page(staff_client_with_keys(world, "triage"), case)
    assert 'id="contact-log-forged"' in html


# 3. The two-person rule opens the approval's seal.


def test_it_refuses_to_decide_an_approval_inserted_without_a_seal(world):
    case = case_in_verification(world)
    confirm_checklist(world, case)
    approval = VerificationApproval.objects.create(
        record_id=record_id(case), case=case, requested_by=world.users["caseworker"]
    )
    for decide in (do_approve_verification, do_refuse_verification):
        with pytest.raises(CaseActionRefused, match="cannot be trusted"):
            decide(
                approval,
                actor=world.users["supervisor"],
                private_key=private_key("supervisor"),
                note="Fine.",
            )
    case.refresh_from_db()
    assert case.state == CaseState.VERIFICATION


def test_it_refuses_an_approval_whose_asker_was_rewritten(world):
    case = case_in_verification(world)
    confirm_checklist(world, case, username="supervisor")
    approval = do_request_verification(
        case, actor=world.users["supervisor"], private_key=private_key("supervisor")
    )
    # The supervisor who asked makes it look as if someone else did, to approve it themself.
    VerificationApproval.objects.filter(pk=approval.pk).update(
        requested_by=world.users["caseworker"]
    )
    approval.refresh_from_db()
    with pytest.raises(CaseActionRefused, match="cannot be trusted"):
        do_approve_verification(
            approval,
            actor=world.users["supervisor"],
            private_key=private_key("supervisor"),
            note="",
        )
    VerificationApproval.objects.filter(pk=approval.pk).update(requested_by=None)
    approval.refresh_from_db()
    second = add_second_supervisor(world)
    with pytest.raises(CaseActionRefused, match="cannot be trusted"):
        do_approve_verification(
            approval, actor=second, private_key=private_key("supervisor2"), note=""
        )
    case.refresh_from_db()
    assert case.state == CaseState.VERIFICATION


# 4. A verified state comes from an approval that opens.


def move_to_planning(world, case):
    return do_move_case(
        case,
        to_state=CaseState.PLANNING,
        reason="Plan the route.",
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )


def test_it_refuses_to_move_a_case_set_to_verified_in_the_database(world):
    case = case_in_verification(world)
    Case.objects.filter(pk=case.pk).update(state=CaseState.VERIFIED)
    case.refresh_from_db()
    with pytest.raises(CaseActionRefused, match="verification cannot be confirmed"):
        move_to_planning(world, case)
    # Nor with an approval inserted without its seal.
    VerificationApproval.objects.create(
        record_id=record_id(case),
        case=case,
        requested_by=world.users["caseworker"],
        decided_by=world.users["supervisor"],
        decided_at=this_hour(),
        decision=ApprovalDecision.APPROVED,
    )
    with pytest.raises(CaseActionRefused, match="verification cannot be confirmed"):
        move_to_planning(world, case)
    # Nor through a side exit and back into the journey.
    do_move_case(
        case,
        to_state=CaseState.WAITLISTED,
        reason="No room.",
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    with pytest.raises(CaseActionRefused, match="verification cannot be confirmed"):
        move_to_planning(world, case)


def test_it_moves_a_case_approved_by_a_second_supervisor_on(world):
    case = case_in_verification(world)
    confirm_checklist(world, case)
    approval = do_request_verification(
        case, actor=world.users["caseworker"], private_key=private_key("caseworker")
    )
    do_approve_verification(
        approval, actor=world.users["supervisor"], private_key=private_key("supervisor"), note=""
    )
    case.refresh_from_db()
    move_to_planning(world, case)
    case.refresh_from_db()
    assert case.state == CaseState.PLANNING


# 5. Marking a task done opens casework, and the hour is bound.


def add_task(world, case):
    return do_add_case_task(
        case,
        title="Call the partner",
        due_on=TODAY + datetime.timedelta(days=1),
        assignee=None,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )


def test_it_marks_a_task_done_only_with_a_key_that_opens_casework(world):
    case = open_case(world)
    task = add_task(world, case)
    with pytest.raises(CaseActionRefused, match="Your key cannot open"):
        do_complete_case_task(
            task, actor=world.users["caseworker"], private_key=private_key("caseworker")
        )
    do_complete_case_task(task, actor=world.users["triage"], private_key=private_key("triage"))
    task.refresh_from_db()
    assert task.done_at is not None
    assert task.open_with(casework(world, case)).sealed("title") == "Call the partner"


def test_it_shows_a_task_marked_done_in_the_database_as_forged(world):
    case = open_case(world)
    task = add_task(world, case)
    CaseTask.objects.filter(pk=task.pk).update(done_at=this_hour())
    task.refresh_from_db()
    with pytest.raises(SealError):
        task.open_with(casework(world, case)).sealed("title")
    html = page(staff_client_with_keys(world, "triage"), case)
    assert html.count("This task does not match its seal") == 1
