"""Counting the requests and referrals a crisis receives, per day (UTC).

The counter is called inside the transaction that stores the requests, so that a request
stored is counted once and a request rolled back is not counted at all. It holds no request
id: the dashboard draws days, never rows."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

from django.db.models import F
from django.utils import timezone

from safehaven.countries.models import CrisisInflow


def today_utc() -> datetime.date:
    return timezone.now().astimezone(datetime.UTC).date()


def count_crisis_inflow(crisis_ids: Iterable[int | None], *, day: datetime.date) -> None:
    """Add one to ``day``'s counter of each crisis for each id given (None: a request in no
    crisis, not counted). Run inside the storing transaction.

    Safe when two app servers count the same crisis and day at once: the row is made with
    ``get_or_create`` (the unique constraint on crisis and day lets one insert win; the other
    reads the winner's row, in a savepoint of its own), then raised with one UPDATE of
    ``requests + n`` that the database applies under the row's lock, never a read-then-write
    in Python that would lose a count. Crises are counted in id order, so that two batches
    touching the same crises never wait on each other's rows crosswise."""
    per_crisis = Counter(crisis_id for crisis_id in crisis_ids if crisis_id is not None)
    for crisis_id, count in sorted(per_crisis.items()):
        CrisisInflow.objects.get_or_create(crisis_id=crisis_id, day=day)
        CrisisInflow.objects.filter(crisis_id=crisis_id, day=day).update(
            requests=F("requests") + count
        )
