"""What a change needs before it runs: whether a role needs a second administrator, and
whether an approval really covers the change (so a view that forgets the approval step cannot
grant such a role in one step; SECURITY.md, "Staff login")."""

from __future__ import annotations

from django.utils.translation import gettext as _

from safehaven.accounts.models import (
    AdminApproval,
    ApprovalKind,
    ApprovalState,
    Organisation,
    Role,
    Team,
    User,
)
from safehaven.keys.models import TeamKey


class ApprovalMissing(Exception):
    """A change that needs a second administrator's approval came without a matching one."""


def team_holds_keys(team: Team | None) -> bool:
    """Whoever holds a role in such a team can be handed everything granted to it."""
    return team is not None and TeamKey.objects.filter(team=team).exists()


def check_grant_approved(
    approval: AdminApproval | None,
    *,
    user: User,
    organisation: Organisation,
    team: Team | None,
    role: Role,
    actor: User | None,
) -> None:
    """Refuse unless ``approval`` is an approved grant of exactly this role, decided by
    ``actor`` and asked for by someone else."""
    if (
        approval is None
        or actor is None
        or approval.kind != ApprovalKind.GRANT_ROLE
        or approval.state != ApprovalState.APPROVED
        or approval.decided_by_id != actor.pk
        or approval.requested_by_id == actor.pk
        or approval.subject_id != user.pk
        or approval.organisation_id != organisation.pk
        or approval.team_id != (team.pk if team is not None else None)
        or approval.role != role
    ):
        raise ApprovalMissing(
            _(
                "The administrator role, and a role in a team that holds keys, need a second "
                "administrator's approval."
            )
        )


def grant_needs_approval(*, role: Role, team: Team | None) -> bool:
    return role == Role.ADMIN or team_holds_keys(team)
