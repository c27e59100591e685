"""Key material for ``make demo``: key pairs for the demo users, escrow, team keys.

Idempotent, like the rest of the demo: users who already have keys keep them.
"""

from __future__ import annotations

from collections.abc import Mapping

from safehaven.accounts.models import Team, User
from safehaven.keys.actions.escrow import do_create_escrow, relocating_organisation
from safehaven.keys.actions.teams import do_create_team_key
from safehaven.keys.actions.users import do_create_user_keys
from safehaven.keys.escrow import eligible_holders
from safehaven.keys.models import TeamKey, UserKeyPair
from safehaven.keys.records import current_escrow


def load_demo_keys(
    users_by_username: Mapping[str, User], passwords: Mapping[str, str]
) -> list[str]:
    """Create what is missing and return lines to print for the visitor.

    ``passwords`` maps a username to the demo password of that user (the private key is
    protected with it, so that logging in with it unlocks the key).
    """
    lines: list[str] = []
    created_users = 0
    for username, user in users_by_username.items():
        if UserKeyPair.objects.filter(user=user).exists():
            continue
        do_create_user_keys(user, passwords[username], actor=None)
        created_users += 1
    if created_users:
        lines.append(f"  Key pairs created for {created_users} demo users.")
    if current_escrow() is None:
        organisation = relocating_organisation()
        if len(eligible_holders(organisation.pk)) >= 2:
            do_create_escrow(organisation, actor=None)
            lines.append("  Escrow key created, split between the demo administrators.")
        else:
            lines.append("  No escrow key: the demo needs two administrators.")
    if current_escrow() is not None:
        for team in Team.objects.exclude(pk__in=TeamKey.objects.values("team")):
            do_create_team_key(team, actor=None)
    return lines
