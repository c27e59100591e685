"""Helpers for the verification tests: a case in verification, its checklist confirmed, and a
second supervisor who holds the triage team's key."""

from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from safehaven.accounts.models import Role, Scope, User
from safehaven.accounts.tests.helpers import TEST_PASSWORD, grant_role_with_approval
from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import (
    ApprovalDecision,
    AssignmentRole,
    CaseState,
    CompartmentKind,
    VerificationItemKind,
    VerificationMethod,
    VerificationStatus,
)
from safehaven.cases.compartments import open_compartment
from safehaven.cases.models import Case, VerificationApproval
from safehaven.cases.tests.helpers import open_case
from safehaven.cases.verification.actions import do_record_verification_item
from safehaven.cases.workflow.actions import do_move_case
from safehaven.core.coarse_time import this_hour
from safehaven.intake.tests.helpers import private_key
from safehaven.keys.actions.teams import do_add_team_member_key
from safehaven.keys.actions.users import do_create_user_keys


def case_in_verification(world: Any, **request: Any) -> Case:
    """A case accepted by triage, given to the caseworker and moved into verification."""
    case = open_case(world, **request)
    do_assign_case(
        case,
        user=world.users["caseworker"],
        role=AssignmentRole.CASEWORKER,
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    do_move_case(
        case,
        to_state=CaseState.VERIFICATION,
        reason="Screened: ready to verify.",
        actor=world.users["triage"],
        private_key=private_key("triage"),
    )
    case.refresh_from_db()
    return case


def confirm_checklist(world: Any, case: Case, username: str = "caseworker") -> None:
    """Every checklist item confirmed, the way a caseworker records them."""
    methods = {
        VerificationItemKind.IDENTITY: (VerificationMethod.DOCUMENT, None),
        VerificationItemKind.RISK: (VerificationMethod.INTERVIEW, None),
        VerificationItemKind.LGBTQ_IDENTITY: (VerificationMethod.PARTNER_ATTESTED, world.partner_a),
    }
    for item, (method, partner) in methods.items():
        do_record_verification_item(
            case,
            item=item,
            status=VerificationStatus.CONFIRMED,
            method=method,
            partner=partner,
            note="",
            actor=world.users[username],
            private_key=private_key(username),
        )


def add_second_supervisor(world: Any, username: str = "supervisor2") -> User:
    """Another supervisor in the triage team, with keys, its key and a second factor; added
    to ``world`` so that ``staff_client_with_keys`` can log them in."""
    user = User.objects.create_user(
        username=username, email=f"{username}@staff.test", password=TEST_PASSWORD
    )
    do_create_user_keys(user, TEST_PASSWORD, actor=None)
    grant_role_with_approval(
        user=user,
        team=world.teams["triage"],
        role=Role.SUPERVISOR,
        requester=world.users["admin"],
        approver=world.users["admin2"],
        scope=Scope.ORGANISATION,
    )
    do_add_team_member_key(
        world.teams["triage"], user, private_key("supervisor"), actor=world.users["supervisor"]
    )
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    world.users[username] = user
    world.totp_secrets[username] = secret
    return user


def approved_in_place(case: Case, username: str = "supervisor") -> VerificationApproval:
    """An approved verification of ``case`` sealed as the application seals it, without the
    checklist: for tests that put a case in a later state directly."""
    user = User.objects.get(username=username)
    opened = open_compartment(
        case, CompartmentKind.CASEWORK, user=user, private_key=private_key(username)
    )
    assert opened is not None
    approval = VerificationApproval(
        record_id=opened.record_id,
        case=case,
        requested_by=User.objects.get(username="caseworker"),
        decided_by=user,
        decided_at=this_hour(),
        decision=ApprovalDecision.APPROVED,
    )
    approval.open_with(opened).seal("note", "Approved.")
    approval.save()
    return approval
