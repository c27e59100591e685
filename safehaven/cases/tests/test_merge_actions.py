"""Merging two cases (``cases.merging.actions.do_merge_cases``): every row carried over and
re-sealed for the kept case's own caseworker, each person's thread still theirs, the absorbed
case closed as merged and pointing at the kept one, one audit event."""

from __future__ import annotations

from typing import Any

import pytest

from safehaven.cases.case_tasks.actions import do_complete_case_task
from safehaven.cases.choices import CaseOutcome, CaseState, CompartmentKind
from safehaven.cases.compartments import open_casework
from safehaven.cases.evidence.actions import do_open_evidence
from safehaven.cases.links import linked_requests
from safehaven.cases.merging.actions import do_merge_cases
from safehaven.cases.models import (
    Case,
    CaseNote,
    CasePerson,
    CaseTask,
    CaseTransition,
    ContactAttempt,
    EvidenceFile,
    SupportSession,
    VerificationItem,
)
from safehaven.cases.tests.merge_helpers import (
    ABSORBED_SAYS,
    ATTEMPT,
    CHECK,
    EVIDENCE,
    EVIDENCE_BYTES,
    KEPT_SAYS,
    NOTE,
    REPLY_TO_ABSORBED,
    SESSION,
    TASK,
    keys_of,
    two_cases,
)
from safehaven.cases.workflow.actions import do_move_case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import RequestStatus
from safehaven.intake.tests.helpers import (
    SHOW_STATUS_URL,
    requester_client,
    staff_client_with_keys,
    thread_bodies,
)
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind
from safehaven.keys.records import open_record

pytestmark = pytest.mark.django_db

SEALED_TEXT: dict[type[Any], tuple[str, str]] = {
    CaseTask: ("title", TASK),
    CaseNote: ("body", NOTE),
    ContactAttempt: ("note", ATTEMPT),
    SupportSession: ("note", SESSION),
    VerificationItem: ("note", CHECK),
    EvidenceFile: ("description", EVIDENCE),
}


@pytest.fixture
def merged(world):
    pair = two_cases(world)
    do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))
    pair.kept.refresh_from_db()
    pair.absorbed.refresh_from_db()
    return pair


def test_it_carries_every_casework_row_for_the_kept_caseworker(world, merged):
    casework = open_casework(merged.kept, **keys_of("caseworker", world))

    for model, (field, sentinel) in SEALED_TEXT.items():
        rows = list(model.objects.filter(case=merged.kept))
        assert [row.open_with(casework).sealed(field) for row in rows] == [sentinel], model
        assert not model.objects.filter(case=merged.absorbed).exists(), model
    evidence = EvidenceFile.objects.get(case=merged.kept)
    opened = do_open_evidence(merged.kept, evidence.item_id, **keys_of("caseworker", world))
    assert opened.content.endswith(EVIDENCE_BYTES)
    # Still a working row: marking the task done re-seals it under the kept case's key.
    do_complete_case_task(CaseTask.objects.get(case=merged.kept), **keys_of("caseworker", world))


def test_it_makes_the_absorbed_person_a_person_of_the_kept_case(world, merged):
    casework = open_casework(merged.kept, **keys_of("caseworker", world))

    requests = linked_requests(merged.kept, casework)

    assert {r.pk for r in requests} == {merged.kept_request.pk, merged.absorbed_request_id}
    assert merged.kept.people.filter(is_primary=True).count() == 1
    assert not CasePerson.objects.filter(case=merged.absorbed).exists()
    # The kept case's caseworker opens the moved request and reads both threads.
    open_record(merged.absorbed_request.record_id, **_user_key(world, "caseworker"))
    bodies = [body for _kind, body in thread_bodies(merged.absorbed_request, "caseworker")]
    assert ABSORBED_SAYS in bodies
    assert REPLY_TO_ABSORBED in bodies


def _user_key(world, username):
    keys = keys_of(username, world)
    return {"user": keys["actor"], "private_key": keys["private_key"]}


def test_it_leaves_each_person_their_own_thread_and_codename(world, merged):
    kept_page = requester_client(merged.kept_codename).get(SHOW_STATUS_URL).content.decode()
    absorbed_page = requester_client(merged.absorbed_codename).get(SHOW_STATUS_URL).content.decode()

    assert KEPT_SAYS in kept_page
    assert ABSORBED_SAYS not in kept_page
    assert REPLY_TO_ABSORBED not in kept_page
    assert ABSORBED_SAYS in absorbed_page
    assert REPLY_TO_ABSORBED in absorbed_page
    assert KEPT_SAYS not in absorbed_page
    # Each request's records carry exactly one codename wrap (its own); nothing of a case does.
    for request in (merged.kept_request, merged.absorbed_request):
        for record_id in request.record_ids:
            wraps = RecordKeyWrap.objects.filter(
                record_key__record_id=record_id, kind=RecordWrapKind.CODENAME
            )
            assert wraps.count() == 1
    compartments = merged.kept.compartments.values_list("record_id", flat=True)
    assert not RecordKeyWrap.objects.filter(
        record_key__record_id__in=list(compartments), kind=RecordWrapKind.CODENAME
    ).exists()


def test_it_closes_the_absorbed_case_as_merged_into_the_kept_one(world, merged):
    assert merged.absorbed.state == CaseState.CLOSED
    assert merged.absorbed.outcome == CaseOutcome.MERGED
    assert merged.absorbed.merged_into_id == merged.kept.pk
    assert merged.kept.state == CaseState.SCREENING
    # Its history stays its own, under its own casework key.
    casework = open_casework(merged.absorbed, **keys_of("triage", world))
    moves = list(CaseTransition.objects.filter(case=merged.absorbed))
    assert [m.to_state for m in moves] == [CaseState.SCREENING, CaseState.CLOSED]
    assert all(move.open_with(casework).sealed("reason") for move in moves)


def test_it_records_one_event_with_ids_only(world, merged):
    events = AuditEvent.objects.filter(event_type=EventType.CASES_MERGED)

    assert events.count() == 1
    event = events.get()
    assert event.actor == world.users["triage"]
    assert event.target_ref == str(merged.kept.pk)
    assert f"case #{merged.absorbed.pk} into case #{merged.kept.pk}" in event.detail
    assert "1 people, 6 rows re-sealed" in event.detail
    for sentinel in (TASK, NOTE, ATTEMPT, EVIDENCE, ABSORBED_SAYS):
        assert sentinel not in event.detail


def test_it_takes_the_moved_request_from_the_absorbed_caseworker(world, merged):
    with pytest.raises(RecordUnavailable):
        open_record(merged.absorbed_request.record_id, **_user_key(world, "caseworker2"))
    with pytest.raises(RecordUnavailable):
        open_record(
            merged.kept.compartment_record_id(CompartmentKind.CASEWORK),
            **_user_key(world, "caseworker2"),
        )


def test_the_moved_requests_follow_the_kept_case(world):
    pair = two_cases(world, fill=False)
    do_move_case(
        pair.kept, to_state=CaseState.VERIFICATION, reason="Ready.", **keys_of("triage", world)
    )
    pair.kept.refresh_from_db()
    pair.absorbed.risk_score = 90
    Case.objects.filter(pk=pair.absorbed.pk).update(risk_score=90, languages=["ru", "ce"])
    pair.absorbed.refresh_from_db()

    do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))

    assert pair.absorbed_request.status == RequestStatus.WILL_CONTACT
    pair.kept.refresh_from_db()
    assert pair.kept.risk_score == 90
    assert "ce" in pair.kept.languages
    # A later move of the kept case tells the moved person too.
    do_move_case(
        pair.kept, to_state=CaseState.SCREENING, reason="Again.", **keys_of("triage", world)
    )
    assert pair.absorbed_request.status == RequestStatus.REVIEWING


def test_the_kept_caseworker_reads_the_merged_case_through_the_pages(world, merged):
    client = staff_client_with_keys(world, "caseworker")

    case_page = client.get(f"/en/staff/cases/{merged.kept.pk}/")
    messages = client.get(f"/en/staff/cases/{merged.kept.pk}/messages/")

    assert case_page.status_code == 200
    assert NOTE in case_page.content.decode()
    assert messages.status_code == 200
    html = messages.content.decode()
    assert KEPT_SAYS in html
    assert ABSORBED_SAYS in html
    assert REPLY_TO_ABSORBED in html
