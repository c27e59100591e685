"""Layering a team's record wraps under its active key after a rotation: the one action the
background task runs. It imports no other action module, so the task module can import it
while :mod:`.teams` imports the task module to enqueue it (one-way, no loop)."""

from __future__ import annotations

from django.db import transaction

from safehaven.accounts.models import Team, User
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.keys.shred import checkpoint_after_commit
from safehaven.keys.teams import layer_team_wraps_batch

REWRAP_BATCH_SIZE = 500


def do_rewrap_team_records(
    team: Team, *, actor: User | None, batch_size: int = REWRAP_BATCH_SIZE
) -> int:
    """Layer the team's record wraps under its active key, a batch per transaction (and one
    audit event per batch), so a big team never holds the database lock for long."""
    total = 0
    while True:
        with transaction.atomic():
            count, active = layer_team_wraps_batch(team, batch_size=batch_size)
            if count and active is not None:
                record_event(
                    EventType.TEAM_KEY_ROTATED,
                    actor=actor,
                    organisation=team.organisation,
                    target=team,
                    detail=f"{count} record wraps layered under v{active.version}",
                )
        total += count
        if count < batch_size:
            break
    if total:
        checkpoint_after_commit()
    return total
