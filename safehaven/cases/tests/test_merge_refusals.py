"""What a merge refuses, and the attackers: a merge changes nothing when refused, and a
database writer cannot make one follow a person row it re-pointed."""

from __future__ import annotations

import pytest

from safehaven.cases.choices import CaseState, CompartmentKind
from safehaven.cases.compartments import make_compartment, open_casework, triage_teams
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.links import linked_requests
from safehaven.cases.merging import listeners
from safehaven.cases.merging.actions import do_merge_cases
from safehaven.cases.models import Case, CaseNote, CasePerson
from safehaven.cases.tests.helpers import bare_case
from safehaven.cases.tests.merge_helpers import accepted, keys_of, two_cases
from safehaven.cases.tests.verification_helpers import confirm_checklist
from safehaven.cases.verification.actions import do_request_verification
from safehaven.cases.workflow.actions import do_move_case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import RequestStatus
from safehaven.intake.models import HelpRequest
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.records import open_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(world):
    return two_cases(world)


def _refused(pair, world, username="triage", kept=None, absorbed=None) -> str:
    with pytest.raises(CaseActionRefused) as refusal:
        do_merge_cases(kept or pair.kept, absorbed or pair.absorbed, **keys_of(username, world))
    pair.absorbed.refresh_from_db()
    assert pair.absorbed.state != CaseState.CLOSED
    assert CaseNote.objects.filter(case=pair.absorbed).count() == 1
    assert not AuditEvent.objects.filter(event_type=EventType.CASES_MERGED).exists()
    return str(refusal.value)


def test_it_refuses_the_same_case(world, pair):
    assert "into itself" in _refused(pair, world, kept=pair.absorbed)


def test_it_refuses_cases_of_different_organisations(world, pair):
    elsewhere = bare_case(world, organisation=world.partner_a)
    assert "same organisation" in _refused(pair, world, kept=elsewhere)


def test_it_refuses_a_closed_case(world, pair):
    Case.objects.filter(pk=pair.kept.pk).update(state=CaseState.CLOSED)
    pair.kept.refresh_from_db()
    assert f"Case #{pair.kept.pk} is closed" in _refused(pair, world)


def test_it_names_the_case_whose_casework_the_actor_cannot_open(world, pair):
    # The kept case's caseworker is not assigned the absorbed one.
    message = _refused(pair, world, username="caseworker")
    assert f"casework of case #{pair.absorbed.pk}" in message


def test_it_refuses_an_absorbed_case_with_travel_records(world, pair):
    make_compartment(pair.absorbed, CompartmentKind.TRAVEL, triage_teams(pair.absorbed))
    message = _refused(pair, world)
    assert f"Case #{pair.absorbed.pk} has travel records" in message
    assert "merge the other into it" in message


def test_it_refuses_while_a_verification_waits_for_a_supervisor(world, pair):
    do_move_case(
        pair.absorbed, to_state=CaseState.VERIFICATION, reason="Ready.", **keys_of("triage", world)
    )
    pair.absorbed.refresh_from_db()
    confirm_checklist(world, pair.absorbed, "caseworker2")
    do_request_verification(pair.absorbed, **keys_of("caseworker2", world))
    assert "waiting for a supervisor" in _refused(pair, world)


def test_a_refusing_listener_undoes_the_whole_merge(world, pair, monkeypatch):
    def refuse(kept, absorbed, *, actor, private_key):
        raise CaseActionRefused("no")

    monkeypatch.setattr(listeners, "_LISTENERS", {**listeners._LISTENERS, "zz-refuse": refuse})
    assert _refused(pair, world) == "no"
    assert CasePerson.objects.filter(case=pair.absorbed).count() == 1
    assert pair.absorbed_request.status == RequestStatus.REVIEWING


def test_a_listener_name_is_registered_once():
    with pytest.raises(ValueError, match="already registered"):
        listeners.register_merge_listener("finance-grants", lambda *a, **k: None)


def test_a_database_writer_cannot_make_a_merge_follow_a_repointed_person(world, pair):
    victim_case, _codename = accepted(world, "I am someone else entirely.")
    victim = victim_case.people.get().help_request
    assert victim is not None
    absorbed_casework = pair.absorbed.compartment_record_id(CompartmentKind.CASEWORK)
    # Re-point the victim's person row at the absorbed case, under its casework key's id.
    CasePerson.objects.filter(help_request=victim).update(
        case=pair.absorbed, record_id=absorbed_casework, is_primary=False
    )

    do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))

    casework = open_casework(pair.kept, **keys_of("caseworker", world))
    assert victim.pk not in [r.pk for r in linked_requests(pair.kept, casework)]
    assert CasePerson.objects.get(help_request=victim).case_id == pair.absorbed.pk
    with pytest.raises(RecordUnavailable):
        open_record(victim.record_id, user=world.users["caseworker"], **_key(world))
    assert HelpRequest.objects.get(pk=victim.pk).status == RequestStatus.REVIEWING
    event = AuditEvent.objects.get(event_type=EventType.CASES_MERGED)
    assert "1 unreadable rows left" in event.detail


def _key(world):
    return {"private_key": keys_of("caseworker", world)["private_key"]}


def _seal_under_absorbed_casework(world, pair, body: bytes | None) -> None:
    """A row of another app (here intake's note model) under the absorbed case's casework
    key: sealed properly when ``body`` is None, or junk bytes a database writer put there."""
    from safehaven.intake.models import InternalNote

    casework = open_casework(pair.absorbed, **keys_of("triage", world))
    note = InternalNote(
        record_id=casework.record_id, help_request=pair.kept_request, author=world.users["triage"]
    )
    note.open_with(casework).seal("body", "kept by another app")
    if body is not None:
        note.body = body
    note.save()


def test_it_refuses_to_leave_another_apps_sealed_rows_behind(world, pair):
    _seal_under_absorbed_casework(world, pair, None)
    message = _refused(pair, world)
    assert f"Case #{pair.absorbed.pk} holds records a merge cannot carry over" in message
    assert "internal notes" in message


def test_junk_under_the_absorbed_casework_does_not_stop_a_merge(world, pair):
    _seal_under_absorbed_casework(world, pair, b"junk written around the application")
    do_merge_cases(pair.kept, pair.absorbed, **keys_of("triage", world))
    pair.absorbed.refresh_from_db()
    assert pair.absorbed.merged_into_id == pair.kept.pk
