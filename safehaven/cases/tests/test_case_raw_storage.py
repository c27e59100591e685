"""Every sealed field of intake and cases, each given a sentinel of its own, never lands in
clear in the SQLite file, its WAL or a log line (SECURITY.md, T1; issue 17).

The test enumerates the sealed fields of every ``SealedRecordMixin`` model of the two apps
and fails when one has neither a sentinel below nor a reason why nothing typed reaches it: a
new sealed field must be added here.
"""

from __future__ import annotations

import datetime
import logging

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.case_tasks.actions import do_add_case_task
from safehaven.cases.choices import (
    AssignmentRole,
    CaseState,
    VerificationItemKind,
    VerificationMethod,
    VerificationStatus,
)
from safehaven.cases.contact_log.actions import (
    do_add_case_note,
    do_log_contact_attempt,
    do_log_support_session,
)
from safehaven.cases.contact_log.choices import (
    ConsentKind,
    ContactChannel,
    ContactOutcome,
    SupportKind,
)
from safehaven.cases.evidence.actions import do_add_evidence
from safehaven.cases.opening.actions import (
    CallDetails,
    do_accept_help_request,
    do_join_household,
    do_open_case_from_call,
)
from safehaven.cases.tests.test_verification_raw_storage import (
    CONTENT_MARK,
    a_png_carrying_the_mark,
)
from safehaven.cases.tests.verification_helpers import confirm_checklist
from safehaven.cases.verification.actions import (
    do_record_verification_item,
    do_refuse_verification,
    do_request_verification,
)
from safehaven.cases.workflow.actions import do_move_case
from safehaven.intake.models import HelpRequest
from safehaven.intake.notes.actions import do_add_internal_note
from safehaven.intake.tests.helpers import latest_request, private_key, submit_request
from safehaven.intake.tests.test_raw_storage import (
    CHECKIN_PHRASE,
    DANGER_PHRASE,
    HANDLE,
    NAME,
    NARRATIVE,
    PHOTO_DESCRIPTION,
    REGION,
    REPLY,
    live_through_a_request,
)
from safehaven.intake.tests.test_raw_storage import SENTINELS as INTAKE_SENTINELS
from safehaven.keys.fields import SealedRecordMixin
from safehaven.keys.tests.test_raw_storage import (
    forms_found_in,
    forms_found_in_text,
    raw_sqlite_bytes,
)
from safehaven.partners.tests.referral_helpers import refer

LANGUAGE_OTHER = "Sentinel-Language-Quorrish"
CONTACT_TIMES = "Sentinel-Times-after-the-Veldmarch-prayer"
REFERRAL_CODE = "SENTINELCODEPRAXWELL"
CALL_SUMMARY = "Sentinel-Call-Summary-Ardvennick"
CALL_REGION = "Sentinel-Call-Region-Ostmerrow"
CALL_CITIZENSHIPS = "Sentinel-Citizenship-Brimhallow"
CALL_CONTACTS = "Sentinel-Call-Contacts-Yarrowdeep"
INTERNAL_NOTE = "Sentinel-Internal-Note-Fenwhistle"
REASON = "Sentinel-Reason-Caldergate"
TASK_TITLE = "Sentinel-Task-Gillymoss"
CHECK_NOTE = "Sentinel-Check-Note-Hobbledown"
EVIDENCE_DESCRIPTION = "Sentinel-Evidence-Pellinore"
DECISION = "Sentinel-Decision-Wraxbury"
ATTEMPT_NOTE = "Sentinel-Attempt-Mossgrave"
SESSION_NOTE = "Sentinel-Session-Tannerling"
CASE_NOTE = "Sentinel-Case-Note-Ulverstane"
CASE_SENTINELS = (
    LANGUAGE_OTHER,
    CONTACT_TIMES,
    REFERRAL_CODE,
    CALL_SUMMARY,
    CALL_REGION,
    CALL_CITIZENSHIPS,
    CALL_CONTACTS,
    INTERNAL_NOTE,
    REASON,
    TASK_TITLE,
    CHECK_NOTE,
    EVIDENCE_DESCRIPTION,
    DECISION,
    ATTEMPT_NOTE,
    SESSION_NOTE,
    CASE_NOTE,
)
# A choice from a fixed list, a number, a flag or a type chosen by the application: nothing a
# person types reaches these, so no sentinel can.
NOT_TYPED = "not typed"
# What each sealed field holds in this test: its sentinel, or why it has none.
COVERED: dict[tuple[str, str], str | bytes] = {
    ("intake.HelpRequest", "situation"): NARRATIVE,
    ("intake.HelpRequest", "region"): REGION,
    ("intake.HelpRequest", "place_region"): NOT_TYPED,
    ("intake.HelpRequest", "citizenships"): NOT_TYPED,
    ("intake.HelpRequest", "language_other"): LANGUAGE_OTHER,
    ("intake.HelpRequest", "contacts"): HANDLE,
    ("intake.HelpRequest", "contact_times"): CONTACT_TIMES,
    ("intake.HelpRequest", "may_leave_message"): NOT_TYPED,
    ("intake.HelpRequest", "risk_indicators"): NOT_TYPED,
    ("intake.HelpRequest", "companions"): NOT_TYPED,
    ("intake.HelpRequest", "passport"): NOT_TYPED,
    ("intake.HelpRequest", "visas"): NAME,  # "Schengen visa of <NAME>"
    ("intake.HelpRequest", "referral_code"): REFERRAL_CODE,
    ("intake.HelpRequest", "checkin_phrase_digest"): CHECKIN_PHRASE,
    ("intake.HelpRequest", "duress_phrase_digest"): DANGER_PHRASE,
    ("intake.HelpRequest", "known_as"): NAME,  # a partner's referral (partners app)
    ("intake.RequestMessage", "body"): REPLY,  # and MESSAGE
    ("intake.InternalNote", "body"): INTERNAL_NOTE,
    ("intake.RequestAttachment", "content"): PHOTO_DESCRIPTION,  # its EXIF, stripped
    ("intake.RequestAttachment", "content_type"): NOT_TYPED,
    ("cases.CasePerson", "summary"): CALL_SUMMARY,
    ("cases.CasePerson", "region"): CALL_REGION,
    ("cases.CasePerson", "citizenships"): CALL_CITIZENSHIPS,
    ("cases.CasePerson", "contacts"): CALL_CONTACTS,
    ("cases.CasePerson", "link"): NOT_TYPED,  # a fixed word, bound to the case and request
    ("cases.CaseAssignment", "marker"): NOT_TYPED,  # a fixed word, bound to case, user, role
    ("cases.CaseTransition", "reason"): REASON,
    ("cases.CaseTask", "title"): TASK_TITLE,
    ("cases.VerificationItem", "note"): CHECK_NOTE,
    ("cases.EvidenceFile", "content"): CONTENT_MARK,
    ("cases.EvidenceFile", "content_type"): NOT_TYPED,
    ("cases.EvidenceFile", "description"): EVIDENCE_DESCRIPTION,
    ("cases.VerificationApproval", "note"): DECISION,
    ("cases.ContactAttempt", "note"): ATTEMPT_NOTE,
    ("cases.SupportSession", "note"): SESSION_NOTE,
    ("cases.CaseNote", "body"): CASE_NOTE,
}


def sealed_fields() -> set[tuple[str, str]]:
    """Every sealed field of every model of intake and cases, as ("app.Model", "field")."""
    return {
        (model._meta.label, name)
        for label in ("intake", "cases")
        for model in apps.get_app_config(label).get_models()
        if issubclass(model, SealedRecordMixin)
        for name in model.sealed_field_names()
    }


def _second_request() -> HelpRequest:
    submit_request(
        language_other=LANGUAGE_OTHER,
        contact_times=CONTACT_TIMES,
        referral_code=REFERRAL_CODE,
    )
    return latest_request()


def _casework(world, case) -> None:
    triage = {"actor": world.users["triage"], "private_key": private_key("triage")}
    worker = {"actor": world.users["caseworker"], "private_key": private_key("caseworker")}
    today = timezone.localdate()
    do_assign_case(case, user=world.users["caseworker"], role=AssignmentRole.CASEWORKER, **triage)
    do_move_case(case, to_state=CaseState.VERIFICATION, reason=REASON, **triage)
    do_add_case_task(
        case, title=TASK_TITLE, due_on=today + datetime.timedelta(days=1), assignee=None, **worker
    )
    do_record_verification_item(
        case,
        item=VerificationItemKind.RISK,
        status=VerificationStatus.DOUBTFUL,
        method=VerificationMethod.INTERVIEW,
        partner=None,
        note=CHECK_NOTE,
        **worker,
    )
    do_add_evidence(
        case, file=a_png_carrying_the_mark(), description=EVIDENCE_DESCRIPTION, **worker
    )
    confirm_checklist(world, case)
    approval = do_request_verification(case, **worker)
    do_refuse_verification(
        approval,
        actor=world.users["supervisor"],
        private_key=private_key("supervisor"),
        note=DECISION,
    )
    do_log_contact_attempt(
        case,
        channel=ContactChannel.SIGNAL,
        outcome=ContactOutcome.UNSAFE,
        next_try_on=today,
        note=ATTEMPT_NOTE,
        **worker,
    )
    do_log_support_session(
        case,
        kind=SupportKind.EMOTIONAL_SUPPORT,
        consent=ConsentKind.SUPPORT,
        held_on=today,
        note=SESSION_NOTE,
        **worker,
    )
    do_add_case_note(case, body=CASE_NOTE, **worker)


def live_through_a_case(world) -> None:
    """A request lived through the pages, a second one joined as its household, both
    accepted into a case that is worked on; a phone call opens another case."""
    live_through_a_request(world)
    first = HelpRequest.objects.earliest("pk")
    triage = {"actor": world.users["triage"], "private_key": private_key("triage")}
    do_add_internal_note(first, text=INTERNAL_NOTE, **triage)
    case = do_accept_help_request(first, reason="Accepted.", **triage)
    do_join_household(case, _second_request(), **triage)
    _casework(world, case)
    details = CallDetails(
        country="NG",
        languages=["en"],
        summary=CALL_SUMMARY,
        region=CALL_REGION,
        citizenships=CALL_CITIZENSHIPS,
        contacts=CALL_CONTACTS,
        risk_score=50,
    )
    do_open_case_from_call(details, reason="A call.", actor=world.users["triage"])
    refer(world, known_as=NAME)  # the name the person uses, as partner A gives it


def test_it_has_a_sentinel_or_a_reason_for_every_sealed_field():
    assert sealed_fields() == set(COVERED), "give each new sealed field a sentinel here"
    scanned = {*INTAKE_SENTINELS, *CASE_SENTINELS, CONTENT_MARK, NOT_TYPED}
    assert set(COVERED.values()) <= scanned  # each sentinel is searched for


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_never_writes_any_sealed_field_in_clear_to_sqlite_its_wal_or_logs(world, caplog):
    if connection.vendor != "sqlite":
        pytest.skip("this database is not SQLite")
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True
    try:
        live_through_a_case(world)
    finally:
        connection.force_debug_cursor = False
    for label, _name in COVERED:  # every sealed model really was written
        assert apps.get_model(label).objects.exists(), label
    assert "INSERT INTO" in caplog.text  # the SQL log was captured: the search means something
    raw = raw_sqlite_bytes()
    assert b"screening -> verification" in raw  # a clear audit detail is found
    for secret in (*INTAKE_SENTINELS, *CASE_SENTINELS):
        assert forms_found_in_text(caplog.text, secret) == [], secret
        assert forms_found_in(raw, secret) == [], secret
    assert CONTENT_MARK not in raw
    assert CONTENT_MARK.decode("latin-1") not in caplog.text
