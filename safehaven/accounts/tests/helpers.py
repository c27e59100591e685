"""Shared test helpers for accounts (plain functions, not fixtures)."""

from __future__ import annotations

from safehaven.accounts.approvals.actions import do_approve_change, do_request_role_grant
from safehaven.accounts.models import Membership, Role, Scope, Team, User


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
