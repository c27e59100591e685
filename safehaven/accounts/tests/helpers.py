"""Shared test helpers for accounts (plain functions, not fixtures): the seeded users' password,
a fresh re-authentication, a role granted with a second administrator's approval."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.internal.userkit import user_id_to_str

from safehaven.accounts.approvals.actions import do_approve_change, do_request_role_grant
from safehaven.accounts.models import Membership, Role, Scope, Team, User

# Every user of the root conftest's ``world`` fixture has this password.
TEST_PASSWORD = "correct horse battery staple 42"


def mark_reauthenticated(client: Any, user: Any) -> None:
    """As if the user had just typed their password again (allauth's re-authentication)."""
    session = client.session
    session["account_authentication_methods_user"] = user_id_to_str(user)
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session.save()


def grant_role_with_approval(
    *,
    user: User,
    team: Team,
    role: Role,
    requester: User,
    approver: User,
    scope: Scope = Scope.OWN,
) -> Membership:
    """A role in a team that holds keys, the only way there is: one administrator asks, a
    second approves."""
    approval = do_request_role_grant(
        user=user,
        organisation=team.organisation,
        role=role,
        scope=scope,
        team=team,
        actor=requester,
    )
    do_approve_change(approval=approval, actor=approver)
    return Membership.objects.get(user=user, team=team, role=role)
