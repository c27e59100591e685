"""Times kept only to the hour, for rows that name a requester's record.

An exact time next to a record's id or audit ref, held against an ISP's connection log,
points at the subscriber who sent a request or checked in (SECURITY.md, "Coarse times").
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone


def hour_of(moment: datetime) -> datetime:
    """The start of the UTC hour ``moment`` falls in."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def this_hour() -> datetime:
    """The start of the current UTC hour: a model field's default where the exact time of
    a requester's action would otherwise be stored."""
    return hour_of(timezone.now())
