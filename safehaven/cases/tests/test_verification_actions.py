"""Verification actions: the checklist, evidence sealed in casework, the person's photos copied
in, and the two-person rule before a case is verified."""

from io import BytesIO

import pytest
from django.db import connection
from PIL import Image

from safehaven.cases.choices import (
    ApprovalDecision,
    CaseState,
    CompartmentKind,
    VerificationItemKind,
    VerificationMethod,
    VerificationStatus,
)
from safehaven.cases.compartments import open_compartment
from safehaven.cases.evidence import actions as evidence_actions
from safehaven.cases.evidence.actions import do_add_evidence, do_copy_person_photo, do_open_evidence
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import VerificationApproval, VerificationItem
from safehaven.cases.tests.helpers import primary_request
from safehaven.cases.tests.verification_helpers import (
    add_second_supervisor,
    case_in_verification,
    confirm_checklist,
)
from safehaven.cases.verification.actions import (
    do_approve_verification,
    do_record_verification_item,
    do_refuse_verification,
    do_request_verification,
)
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.core.uploads.sanitise import SanitisedFile
from safehaven.intake.tests.attachments import attach_photo
from safehaven.intake.tests.helpers import private_key

pytestmark = pytest.mark.django_db

SENTINEL = "SENTINEL-verification-8c41"
DISTINCTIVE = b"DISTINCTIVE-evidence-bytes-5f0e"


def a_png(extra: bytes = b"") -> SanitisedFile:
    output = BytesIO()
    Image.new("RGB", (8, 8), "red").save(output, format="PNG")
    return SanitisedFile(output.getvalue() + extra, "image/png", "png")


def record(world, case, username="caseworker", **fields):
    values = {
        "item": VerificationItemKind.IDENTITY,
        "status": VerificationStatus.CONFIRMED,
        "method": VerificationMethod.DOCUMENT,
        "partner": None,
        "note": "",
        **fields,
    }
    return do_record_verification_item(
        case, actor=world.users[username], private_key=private_key(username), **values
    )


def ask(world, case, username="caseworker"):
    return do_request_verification(
        case, actor=world.users[username], private_key=private_key(username)
    )


def test_it_records_a_check_with_its_note_sealed_in_casework(world):
    case = case_in_verification(world)
    row = record(world, case, note=SENTINEL)
    opened = open_compartment(
        case,
        CompartmentKind.CASEWORK,
        user=world.users["supervisor"],
        private_key=private_key("supervisor"),
    )
    assert opened is not None
    assert VerificationItem.objects.get(pk=row.pk).open_with(opened).sealed("note") == SENTINEL
    assert AuditEvent.objects.filter(event_type=EventType.VERIFICATION_CHECKED).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"method": None}, "Say how it was checked"),
        (
            {"item": VerificationItemKind.LGBTQ_IDENTITY, "method": VerificationMethod.DOCUMENT},
            "not by a document",
        ),
        ({"method": VerificationMethod.PARTNER_ATTESTED}, "Name the partner organisation"),
    ],
)
def test_it_refuses_a_check_that_does_not_add_up(world, fields, message):
    case = case_in_verification(world)
    with pytest.raises(CaseActionRefused, match=message):
        record(world, case, **fields)


def test_it_refuses_a_relocating_organisation_as_the_attesting_partner(world):
    case = case_in_verification(world)
    with pytest.raises(CaseActionRefused, match="Only a partner organisation"):
        record(
            world,
            case,
            method=VerificationMethod.CO_VERIFIED,
            partner=world.organisation,
        )


def test_it_refuses_a_check_from_someone_whose_key_does_not_open_casework(world):
    case = case_in_verification(world)
    with pytest.raises(CaseActionRefused, match="cannot open this case's casework"):
        record(world, case, username="partner_a")


def test_it_seals_evidence_in_casework_and_leaves_nothing_readable_in_the_database(world):
    case = case_in_verification(world)
    evidence = do_add_evidence(
        case,
        file=a_png(DISTINCTIVE),
        description=SENTINEL,
        actor=world.users["caseworker"],
        private_key=private_key("caseworker"),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content, content_type, description FROM cases_evidencefile WHERE id = %s",
            [evidence.pk],
        )
        raw = b"".join(bytes(value) for value in cursor.fetchone())
    assert DISTINCTIVE not in raw
    assert SENTINEL.encode() not in raw
    assert b"image/png" not in raw
    opened = do_open_evidence(
        case,
        evidence.item_id,
        actor=world.users["supervisor"],
        private_key=private_key("supervisor"),
    )
    assert opened.content.endswith(DISTINCTIVE)
    assert opened.filename == f"evidence-{str(evidence.item_id)[:8]}.png"


def test_it_caps_a_case_s_evidence_with_a_clear_message(world, monkeypatch):
    case = case_in_verification(world)
    monkeypatch.setattr(evidence_actions, "MAX_EVIDENCE_FILES", 1)
    add = {"description": "", "actor": world.users["caseworker"]}
    do_add_evidence(case, file=a_png(), private_key=private_key("caseworker"), **add)
    with pytest.raises(CaseActionRefused, match="already holds 1 evidence files"):
        do_add_evidence(case, file=a_png(), private_key=private_key("caseworker"), **add)
    monkeypatch.setattr(evidence_actions, "MAX_EVIDENCE_FILES", 20)
    monkeypatch.setattr(evidence_actions, "MAX_EVIDENCE_BYTES", 100)
    with pytest.raises(CaseActionRefused, match="would take more than"):
        do_add_evidence(case, file=a_png(), private_key=private_key("caseworker"), **add)


def test_it_copies_the_person_s_photo_into_the_case_s_evidence(world):
    case = case_in_verification(world)
    attachment = attach_photo(primary_request(case))
    evidence = do_copy_person_photo(
        case,
        attachment_item_id=attachment.item_id,
        actor=world.users["caseworker"],
        private_key=private_key("caseworker"),
    )
    assert evidence.record_id == case.compartment_record_id(CompartmentKind.CASEWORK)
    opened = do_open_evidence(
        case,
        evidence.item_id,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    assert opened.content_type == "image/jpeg"
    assert opened.content.startswith(b"\xff\xd8")


def test_it_refuses_to_copy_a_photo_of_another_case(world):
    case = case_in_verification(world)
    other = case_in_verification(world, situation="Someone else.")
    attachment = attach_photo(primary_request(other))
    with pytest.raises(CaseActionRefused, match="not one the people of this case sent"):
        do_copy_person_photo(
            case,
            attachment_item_id=attachment.item_id,
            actor=world.users["triage"],
            private_key=private_key("triage"),
        )


def test_it_refuses_to_ask_for_approval_outside_verification(world):
    case = case_in_verification(world)
    confirm_checklist(world, case)
    case.state = CaseState.SCREENING
    with pytest.raises(CaseActionRefused, match="Only a case in verification"):
        ask(world, case)


def test_it_refuses_to_ask_for_approval_naming_what_is_not_confirmed(world):
    case = case_in_verification(world)
    record(world, case)
    record(world, case, item=VerificationItemKind.RISK, status=VerificationStatus.DOUBTFUL)
    with pytest.raises(CaseActionRefused) as refusal:
        ask(world, case)
    assert str(refusal.value) == (
        "Every check must be confirmed first. Still to confirm: Risk, Identity as LGBTQ+."
    )


def test_it_refuses_to_ask_twice(world):
    case = case_in_verification(world)
    confirm_checklist(world, case)
    ask(world, case)
    with pytest.raises(CaseActionRefused, match="already been asked"):
        ask(world, case)


def test_it_refuses_an_approval_by_the_person_who_asked(world):
    case = case_in_verification(world)
    confirm_checklist(world, case, username="supervisor")
    approval = ask(world, case, username="supervisor")
    with pytest.raises(CaseActionRefused, match="A second person must decide"):
        do_approve_verification(
            approval,
            actor=world.users["supervisor"],
            private_key=private_key("supervisor"),
            note="",
        )
    case.refresh_from_db()
    assert case.state == CaseState.VERIFICATION


def test_it_refuses_an_approval_by_someone_who_is_not_a_supervisor(world):
    case = case_in_verification(world)
    confirm_checklist(world, case)
    approval = ask(world, case)
    with pytest.raises(CaseActionRefused, match="Only a supervisor"):
        do_approve_verification(
            approval, actor=world.users["triage"], private_key=private_key("triage"), note=""
        )


def test_it_moves_the_case_to_verified_when_a_second_supervisor_approves(world):
    case = case_in_verification(world)
    confirm_checklist(world, case, username="supervisor")
    approval = ask(world, case, username="supervisor")
    second = add_second_supervisor(world)
    do_approve_verification(
        approval, actor=second, private_key=private_key("supervisor2"), note=SENTINEL
    )
    case.refresh_from_db()
    approval.refresh_from_db()
    assert case.state == CaseState.VERIFIED
    assert approval.decision == ApprovalDecision.APPROVED
    assert approval.decided_by == second
    assert case.transitions.filter(to_state=CaseState.VERIFIED).exists()
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {EventType.VERIFICATION_APPROVED, EventType.CASE_MOVED} <= events


def test_it_refuses_a_refusal_without_a_reason_and_keeps_the_case_on_refusal(world):
    case = case_in_verification(world)
    confirm_checklist(world, case)
    approval = ask(world, case)
    decide = {"actor": world.users["supervisor"], "private_key": private_key("supervisor")}
    with pytest.raises(CaseActionRefused, match="Say why"):
        do_refuse_verification(approval, note=" ", **decide)
    do_refuse_verification(approval, note="The interview notes are missing.", **decide)
    case.refresh_from_db()
    assert case.state == CaseState.VERIFICATION
    assert VerificationApproval.objects.get().decision == ApprovalDecision.REFUSED
    # Refused, it can be asked for again.
    ask(world, case)


def test_it_refuses_an_approval_by_a_supervisor_of_another_organisation(world):
    from safehaven.accounts.models import Membership, Role

    case = case_in_verification(world)
    confirm_checklist(world, case)
    approval = ask(world, case)
    # Triage of the case's organisation (holds its casework), supervisor only in a partner.
    Membership.objects.create(
        user=world.users["triage"], organisation=world.partner_a, role=Role.SUPERVISOR
    )
    with pytest.raises(CaseActionRefused, match="supervisor of the case's organisation"):
        do_approve_verification(
            approval, actor=world.users["triage"], private_key=private_key("triage"), note=""
        )
    case.refresh_from_db()
    assert case.state == CaseState.VERIFICATION
