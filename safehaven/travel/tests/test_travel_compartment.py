"""Who the case's travel key is wrapped to when the compartment is first made: the triage
team(s) and the caseworkers genuinely assigned (sealed marker) who may hold a case now; never
a forged assignment row, a suspended caseworker or one whose password an administrator reset."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from safehaven.accounts.actions import do_reset_password, do_suspend_user
from safehaven.accounts.models import SuspensionReason, User
from safehaven.cases.choices import AssignmentRole, CompartmentKind
from safehaven.cases.models import Case, CaseAssignment
from safehaven.intake.tests.helpers import private_key
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind
from safehaven.travel.documents.actions import do_add_travel_document
from safehaven.travel.tests.helpers import assigned_case

pytestmark = pytest.mark.django_db


def make_travel(world: Any, case: Case) -> None:
    """The first travel document: it makes the compartment (triage saves it)."""
    do_add_travel_document(
        case,
        person=None,
        kind="passport",
        issuing_country="RU",
        for_country="",
        number="X1",
        valid_until=timezone.localdate() + datetime.timedelta(days=400),
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )


def holds_travel(case: Case, user: User) -> bool:
    record_id = case.compartment_record_id(CompartmentKind.TRAVEL)
    assert record_id is not None
    return RecordKeyWrap.objects.filter(
        record_key__record_id=record_id, kind=RecordWrapKind.USER, user=user
    ).exists()


def forge_assignment(case: Case, user: User) -> None:
    """A database writer's clear assignment row, with no valid sealed marker."""
    CaseAssignment.objects.create(
        case=case,
        user=user,
        role=AssignmentRole.CASEWORKER,
        record_id=case.compartment_record_id(CompartmentKind.CASEWORK),
        marker=b"junk",
    )


def test_it_wraps_the_travel_key_to_the_assigned_caseworker(world):
    case = assigned_case(world)
    make_travel(world, case)
    assert holds_travel(case, world.users["caseworker"])


@pytest.mark.parametrize("username", ["interpreter", "partner_a"])
def test_it_gives_no_travel_key_to_a_forged_assignment_row(world, username):
    case = assigned_case(world)
    forge_assignment(case, world.users[username])
    make_travel(world, case)
    assert not holds_travel(case, world.users[username])
    assert holds_travel(case, world.users["caseworker"])


def test_it_gives_no_travel_key_to_a_suspended_caseworker(world):
    case = assigned_case(world)
    do_suspend_user(
        user=world.users["caseworker"],
        reason=SuspensionReason.SECURITY_CONCERN,
        actor=world.users["admin"],
    )
    make_travel(world, case)
    assert not holds_travel(case, world.users["caseworker"])


def test_it_gives_no_travel_key_to_a_caseworker_whose_password_was_reset(world):
    case = assigned_case(world)
    do_reset_password(user=world.users["caseworker"], actor=world.users["admin"])
    make_travel(world, case)
    assert not holds_travel(case, world.users["caseworker"])
