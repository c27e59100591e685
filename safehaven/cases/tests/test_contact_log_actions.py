"""Logging contact attempts, support sessions and casework notes: sealed under casework, with
the actor's own key, refused where the brief says, and the tries due on a caseworker's page."""

import datetime

import pytest
from django.utils import timezone

from safehaven.accounts.models import User
from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import AssignmentRole, CaseState, CompartmentKind
from safehaven.cases.compartments import open_compartment
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
from safehaven.cases.contact_log.models import CaseNote, ContactAttempt, SupportSession
from safehaven.cases.contact_log.queries import contact_tries_due, open_log
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.cases.rekeying.actions import do_rekey_case
from safehaven.cases.tests.helpers import open_case
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.tests.helpers import private_key

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)
YESTERDAY = TODAY - datetime.timedelta(days=1)


def casework(case, username="triage"):
    user = User.objects.get(username=username)
    return open_compartment(
        case, CompartmentKind.CASEWORK, user=user, private_key=private_key(username)
    )


def log_attempt(
    world,
    case,
    username="triage",
    *,
    outcome=ContactOutcome.NO_ANSWER,
    next_try_on=TOMORROW,
):
    return do_log_contact_attempt(
        case,
        channel=ContactChannel.SIGNAL,
        outcome=outcome,
        next_try_on=next_try_on,
        note="Tried after dark, as agreed.",
        actor=world.users[username],
        private_key=private_key(username),
    )


def assign(world, case, username="caseworker"):
    do_assign_case(
        case,
        user=world.users[username],
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )


def test_it_logs_a_contact_attempt_sealed_under_casework_and_audited(world):
    case = open_case(world)
    attempt = log_attempt(world, case, outcome=ContactOutcome.UNSAFE)
    stored = ContactAttempt.objects.get(pk=attempt.pk)
    assert stored.record_id == case.compartment_record_id(CompartmentKind.CASEWORK)
    assert stored.open_with(casework(case, "supervisor")).sealed("note") == (
        "Tried after dark, as agreed."
    )
    assert (stored.channel, stored.outcome, stored.next_try_on) == ("signal", "unsafe", TOMORROW)
    event = AuditEvent.objects.filter(event_type=EventType.CONTACT_LOGGED).get()
    assert event.actor_id == world.users["triage"].pk
    assert "after dark" not in event.detail


def test_it_refuses_a_next_try_in_the_past(world):
    case = open_case(world)
    with pytest.raises(CaseActionRefused, match="next try cannot be in the past"):
        log_attempt(world, case, next_try_on=YESTERDAY)
    assert not ContactAttempt.objects.exists()


def test_it_refuses_to_log_on_a_closed_case_but_takes_a_note(world):
    case = open_case(world)
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    case.refresh_from_db()
    with pytest.raises(CaseActionRefused, match="This case is closed"):
        log_attempt(world, case)
    with pytest.raises(CaseActionRefused, match="This case is closed"):
        do_log_support_session(
            case,
            kind=SupportKind.EMOTIONAL_SUPPORT,
            consent=ConsentKind.SUPPORT,
            held_on=TODAY,
            note="",
            actor=world.users["triage"],
            private_key=private_key("triage"),
        )
    note = do_add_case_note(
        case,
        body="Wrote again after closing.",
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    assert note.open_with(casework(case)).sealed("body") == "Wrote again after closing."


def test_it_refuses_an_actor_whose_key_does_not_open_casework(world):
    case = open_case(world)  # not assigned: the caseworker holds no wrap of it
    with pytest.raises(CaseActionRefused, match="key cannot open this case's casework"):
        log_attempt(world, case, username="caseworker")
    with pytest.raises(CaseActionRefused, match="key cannot open this case's casework"):
        do_add_case_note(
            case, body="x", actor=world.users["caseworker"], private_key=private_key("caseworker")
        )
    assert not ContactAttempt.objects.exists()
    assert not CaseNote.objects.exists()


def test_it_logs_a_referral_only_with_the_persons_consent_to_it(world):
    case = open_case(world)

    def refer(consent):
        return do_log_support_session(
            case,
            kind=SupportKind.COUNSELLING_REFERRAL,
            consent=consent,
            held_on=TODAY,
            note="Referred to the counsellor we trust.",
            actor=world.users["triage"],
            private_key=private_key("triage"),
        )

    for consent in (None, ConsentKind.SUPPORT):
        with pytest.raises(CaseActionRefused, match="referral needs the person's agreement"):
            refer(consent)
    assert not SupportSession.objects.exists()
    session = refer(ConsentKind.REFERRAL)
    assert session.consent_recorded
    assert session.consent_kind == ConsentKind.REFERRAL
    stored = SupportSession.objects.get(pk=session.pk).open_with(casework(case))
    assert stored.sealed("note") == "Referred to the counsellor we trust."
    assert AuditEvent.objects.filter(event_type=EventType.SUPPORT_LOGGED).count() == 1


def test_it_logs_a_support_session_without_consent_but_not_one_in_the_future(world):
    case = open_case(world)

    def log(held_on):
        return do_log_support_session(
            case,
            kind=SupportKind.EMOTIONAL_SUPPORT,
            consent=None,
            held_on=held_on,
            note="",
            actor=world.users["triage"],
            private_key=private_key("triage"),
        )

    with pytest.raises(CaseActionRefused, match="before it is held"):
        log(TOMORROW)
    session = log(TODAY)
    assert not session.consent_recorded
    assert session.consent_kind == ""


def test_it_adds_a_casework_note_for_an_assigned_caseworker(world):
    case = open_case(world)
    assign(world, case)
    do_add_case_note(
        case,
        body="Prefers Signal.",
        actor=world.users["caseworker"],
        private_key=private_key("caseworker"),
    )
    note = CaseNote.objects.get()
    assert note.open_with(casework(case, "caseworker")).sealed("body") == "Prefers Signal."
    assert AuditEvent.objects.filter(event_type=EventType.CASE_NOTE_ADDED).count() == 1


def test_it_hides_a_row_changed_outside_the_application(world):
    case = open_case(world)
    attempt = log_attempt(world, case, outcome=ContactOutcome.NO_ANSWER)
    # Someone with database access turns "no answer" into "reached": the note no longer opens.
    ContactAttempt.objects.filter(pk=attempt.pk).update(outcome=ContactOutcome.REACHED)
    log = open_log(case, casework(case), TODAY)
    assert log.attempts == []
    assert log.forged == 1


def test_it_marks_the_latest_attempt_overdue_and_warns_after_an_unsafe_one(world):
    case = open_case(world)
    first = log_attempt(world, case, outcome=ContactOutcome.UNSAFE, next_try_on=TODAY)
    ContactAttempt.objects.filter(pk=first.pk).update(next_try_on=YESTERDAY)
    log = open_log(case, casework(case), TODAY)
    assert log.attempts[0].overdue
    assert log.caution is not None
    second = log_attempt(world, case, outcome=ContactOutcome.REACHED, next_try_on=TODAY)
    log = open_log(case, casework(case), TODAY)
    assert [entry.row.pk for entry in log.attempts] == [second.pk, first.pk]  # newest first
    assert log.attempts[0].due
    assert not log.attempts[1].overdue
    assert log.caution is None


def test_it_lists_the_contact_tries_due_for_a_caseworker(world):
    mine, other = open_case(world), open_case(world)
    assign(world, mine)
    old = log_attempt(world, mine, next_try_on=TODAY)
    ContactAttempt.objects.filter(pk=old.pk).update(next_try_on=YESTERDAY)
    log_attempt(world, other, next_try_on=TODAY)  # not the caseworker's case
    caseworker = world.users["caseworker"]
    assert [attempt.pk for attempt in contact_tries_due(caseworker, TODAY)] == [old.pk]
    assert list(contact_tries_due(caseworker, YESTERDAY - datetime.timedelta(days=1))) == []
    # A later attempt supersedes the earlier next try.
    newer = log_attempt(world, mine, username="caseworker", next_try_on=TOMORROW)
    assert list(contact_tries_due(caseworker, TODAY)) == []
    assert [attempt.pk for attempt in contact_tries_due(caseworker, TOMORROW)] == [newer.pk]
    # The triage user logged the other case's attempt: it is due for them.
    assert mine.pk not in {a.case_id for a in contact_tries_due(world.users["triage"], TODAY)}
    Case.objects.filter(pk=other.pk).update(state=CaseState.CLOSED)
    assert list(contact_tries_due(world.users["triage"], TODAY)) == []


def test_it_keeps_the_log_readable_after_the_case_is_rekeyed(world):
    case = open_case(world)
    log_attempt(world, case)
    do_add_case_note(
        case, body="Kept.", actor=world.users["triage"], private_key=private_key("triage")
    )
    old_record_id = case.compartment_record_id(CompartmentKind.CASEWORK)
    do_rekey_case(case, actor=world.users["triage"], private_key=private_key("triage"))
    assert case.compartment_record_id(CompartmentKind.CASEWORK) != old_record_id
    log = open_log(case, casework(case), TODAY)
    assert log.forged == 0
    assert [entry.text for entry in log.notes] == ["Kept."]
    assert [entry.text for entry in log.attempts] == ["Tried after dark, as agreed."]
