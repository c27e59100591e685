"""What someone who can write the database (but holds no server secret) does to the key rows,
and the alarms it must raise; shared by the key layer's and intake's tests."""

from __future__ import annotations

from safehaven.accounts.models import Team
from safehaven.core.crypto import new_key_pair
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.keys.models import TeamKey


def tamper_alarms() -> list[tuple[str, str]]:
    events = AuditEvent.objects.filter(event_type=EventType.PUBLIC_KEY_TAMPERED)
    return list(events.values_list("target_type", "target_ref"))


def reactivate_first_version(team: Team) -> TeamKey:
    """A rotation made version 2; a database write marks version 1 (which members removed
    since still hold) active again. Its tag is genuine: only the version order tells."""
    first = TeamKey.objects.get(team=team, active=True)
    TeamKey.objects.filter(pk=first.pk).update(active=False)
    TeamKey.objects.create(team=team, version=first.version + 1, public_key=new_key_pair().public)
    TeamKey.objects.filter(team=team).exclude(pk=first.pk).update(active=False)
    TeamKey.objects.filter(pk=first.pk).update(active=True)
    return first
