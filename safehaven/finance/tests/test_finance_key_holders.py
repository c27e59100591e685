"""Only a holder of the finance team's key decides on money: the finance role is granted only
inside the finance team (a team that holds keys, so with a second administrator's approval),
and approving, refusing, cancelling, paying, confirming and reversing each check that the
officer's private key opens the team's current key. A decider must also have been in the
team when the grant was asked for."""

from __future__ import annotations

import os
from typing import Any

import pytest

from safehaven.accounts.actions import ActionRefused, do_add_membership, do_invite_staff
from safehaven.accounts.approvals.actions import do_approve_change, do_request_role_grant
from safehaven.accounts.approvals.checks import ApprovalMissing
from safehaven.accounts.models import Membership, Role, Scope
from safehaven.accounts.tests.helpers import grant_role_with_approval
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.tests.helpers import staff_member
from safehaven.core.crypto import wrap_key
from safehaven.finance.choices import EntryKind, GrantCategory, GrantState
from safehaven.finance.corrections.actions import do_reverse_entry
from safehaven.finance.disbursements.actions import do_confirm_disbursement
from safehaven.finance.grants.actions import (
    do_approve_grant,
    do_cancel_grant,
    do_refuse_grant,
    do_request_grant,
)
from safehaven.finance.models import Grant, JournalEntry
from safehaven.finance.tests.helpers import (
    approved_grant,
    case_of,
    donate,
    finance_team,
    key_of,
    make_fund,
    officer,
    pay,
    third_officer,
)
from safehaven.keys.actions.teams import do_add_team_member_key
from safehaven.keys.keyring import team_key_info_for_user
from safehaven.keys.models import TeamKey, TeamKeyWrap, UserKeyPair
from safehaven.keys.wrap_tags import tag_team_key_wrap

pytestmark = pytest.mark.django_db

NO_KEY = "Only a finance officer who holds the finance team's key"


@pytest.fixture
def fund(world):
    finance_team(world)
    fund = make_fund(world, "USD")
    donate(fund, "100000", keys=officer())
    return fund


def ask(world, fund, amount: str = "300", by: str = "supervisor") -> Grant:
    return do_request_grant(
        fund,
        category=GrantCategory.AIRFARE,
        amount=amount,
        case=case_of(world),
        actor=world.users[by],
    )


def test_it_grants_the_finance_role_only_in_the_finance_team(world):
    team = finance_team(world)
    admin = world.users["admin"]
    for elsewhere in (None, world.teams["casework"]):
        with pytest.raises(ActionRefused, match="only in the organisation's finance team"):
            do_add_membership(
                user=world.users["advocacy"],
                organisation=world.organisation,
                role=Role.FINANCE,
                team=elsewhere,
                actor=admin,
            )
        with pytest.raises(ActionRefused, match="only in the organisation's finance team"):
            do_request_role_grant(
                user=world.users["advocacy"],
                organisation=world.organisation,
                role=Role.FINANCE,
                scope=Scope.ORGANISATION,
                team=elsewhere,
                actor=admin,
            )
    # In the finance team, which holds keys: one administrator alone cannot.
    with pytest.raises(ApprovalMissing):
        do_add_membership(
            user=world.users["advocacy"],
            organisation=world.organisation,
            role=Role.FINANCE,
            team=team,
            actor=admin,
        )
    approval = do_request_role_grant(
        user=world.users["advocacy"],
        organisation=world.organisation,
        role=Role.FINANCE,
        scope=Scope.ORGANISATION,
        team=team,
        actor=admin,
    )
    with pytest.raises(ActionRefused):
        do_approve_change(approval=approval, actor=admin)  # not their own request
    assert not Membership.objects.filter(user=world.users["advocacy"], team=team).exists()
    grant_role_with_approval(
        user=world.users["advocacy"],
        team=team,
        role=Role.FINANCE,
        requester=admin,
        approver=world.users["admin2"],
    )
    assert Membership.objects.filter(user=world.users["advocacy"], team=team).exists()


def test_it_invites_no_finance_officer(world):
    finance_team(world)
    with pytest.raises(ActionRefused, match="Invite them with another working role"):
        do_invite_staff(
            email="new@staff.test",
            organisation=world.organisation,
            role=Role.FINANCE,
            actor=world.users["admin"],
            accept_url_for=lambda token: f"https://example.test/{token}",
        )


def test_it_refuses_every_money_decision_to_an_officer_without_the_key(world, fund):
    # A finance role held outside the team (written around the actions, or from before): the
    # permission, but no wrap of the team key.
    puppet = staff_member(world, "puppet", Role.FINANCE)
    keys: dict[str, Any] = {"actor": puppet, "private_key": key_of("puppet")}
    requested = ask(world, fund, "50000")
    approved = approved_grant(world, fund, "400")
    payment = pay(approved, "100", keys=officer())
    for action in (
        lambda: do_approve_grant(requested, **keys),
        lambda: do_refuse_grant(requested, **keys),
        lambda: do_cancel_grant(requested, **keys),
        lambda: do_cancel_grant(approved, **keys),
        lambda: pay(approved, "10", keys=keys),
        lambda: do_confirm_disbursement(payment, **keys),
        lambda: do_reverse_entry(JournalEntry.objects.get(disbursement=payment), **keys),
    ):
        with pytest.raises(CaseActionRefused, match=NO_KEY):
            action()
    assert Grant.objects.get(pk=requested.pk).state == GrantState.REQUESTED
    # Nor the right officer with no key, or with another person's.
    for private_key in (None, key_of("puppet")):
        with pytest.raises(CaseActionRefused, match=NO_KEY):
            do_approve_grant(requested, actor=world.users["finance2"], private_key=private_key)


def test_it_refuses_a_team_key_wrap_written_into_the_database(world, fund):
    team = finance_team(world)
    puppet = staff_member(world, "puppet", Role.FINANCE)
    Membership.objects.create(
        user=puppet, organisation=world.organisation, team=team, role=Role.FINANCE
    )
    # A database writer wraps a key of their own choosing to the puppet's public key (anyone
    # can: the public key is in clear) and tags nothing it could not: the wrap opens, but what
    # it holds is not the team's key.
    team_key = TeamKey.objects.get(team=team, active=True)
    pair = UserKeyPair.objects.get(user=puppet)
    wrapped = wrap_key(
        bytes(pair.public_key), os.urandom(32), team_key_info_for_user(team_key.pk, puppet.pk)
    )
    tag_team_key_wrap(TeamKeyWrap(team_key=team_key, user=puppet, wrapped=wrapped)).save()

    with pytest.raises(CaseActionRefused, match=NO_KEY):
        do_approve_grant(ask(world, fund), actor=puppet, private_key=key_of("puppet"))


def test_it_refuses_a_decider_who_joined_the_team_after_the_request(world, fund):
    before = ask(world, fund)
    newcomer = third_officer(world)
    keys: dict[str, Any] = {"actor": newcomer, "private_key": key_of("finance3")}
    for decide in (do_approve_grant, do_refuse_grant):
        with pytest.raises(CaseActionRefused, match="joined the finance team after"):
            decide(before, **keys)
    do_approve_grant(ask(world, fund), **keys)  # asked for once they were in it


def test_it_lets_a_member_approved_by_two_administrators_decide_once_given_the_key(world, fund):
    team = finance_team(world)
    newcomer = world.users["advocacy"]
    grant_role_with_approval(
        user=newcomer,
        team=team,
        role=Role.FINANCE,
        requester=world.users["admin"],
        approver=world.users["admin2"],
    )
    grant = ask(world, fund)
    keys: dict[str, Any] = {"actor": newcomer, "private_key": key_of("advocacy")}
    with pytest.raises(CaseActionRefused, match=NO_KEY):
        do_approve_grant(grant, **keys)  # in the team, but nobody has passed the key on yet
    do_add_team_member_key(team, newcomer, key_of("finance"), actor=world.users["finance"])
    do_approve_grant(grant, **keys)
    assert Grant.objects.get(pk=grant.pk).state == GrantState.APPROVED
    assert JournalEntry.objects.filter(grant=grant, kind=EntryKind.GRANT_APPROVAL).exists()
