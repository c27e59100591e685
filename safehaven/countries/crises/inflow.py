"""Counting the requests and referrals a crisis receives, per day (UTC).

The counter is called inside the transaction that stores the requests, so that a request
stored is counted once and a request rolled back is not counted at all. It holds no request
id: the dashboard draws days, never rows.

Days are kept for ``DAILY_FOR`` (60 days) only: retention folds older day rows into one row
per crisis and month (``fold_old_inflow``; day = the first of the month, the days summed).
Request ids are sequential, so a day's count kept for ever would date each request of a
quiet crisis to its day, which the requests' own rows (month only) do not."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, QuerySet
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


DAILY_FOR = datetime.timedelta(days=60)


def _old_day_rows(today: datetime.date) -> QuerySet[CrisisInflow]:
    """Rows older than ``DAILY_FOR`` that are not their month's row yet (a first of the month
    is its month's row: a day's count there reads as the month's)."""
    return CrisisInflow.objects.filter(day__lt=today - DAILY_FOR).exclude(day__day=1)


def old_inflow_rows(today: datetime.date) -> int:
    """How many day rows ``fold_old_inflow(today)`` would fold (a dry run's count)."""
    return _old_day_rows(today).count()


def fold_old_inflow(today: datetime.date) -> int:
    """Fold every day row older than ``DAILY_FOR`` into its crisis's row for the month (day =
    the first of the month, the requests summed); how many day rows were folded. Only days
    long past are touched, never today's, so the counter's updates never meet it."""
    with transaction.atomic():
        rows = list(
            _old_day_rows(today).select_for_update().values_list("crisis_id", "day", "requests")
        )
        per_month: Counter[tuple[int, datetime.date]] = Counter()
        for crisis_id, day, requests in rows:
            per_month[(crisis_id, day.replace(day=1))] += requests
        # The same rows, locked above: only days long past, which nothing writes any more.
        _old_day_rows(today).delete()
        for (crisis_id, month), requests in sorted(per_month.items()):
            CrisisInflow.objects.get_or_create(crisis_id=crisis_id, day=month)
            CrisisInflow.objects.filter(crisis_id=crisis_id, day=month).update(
                requests=F("requests") + requests
            )
    return len(rows)
