"""Follow-ups read from clear columns only: those due for the caseworker's own page."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from safehaven.accounts.models import User
from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case
from safehaven.travel.choices import FollowUpOutcome
from safehaven.travel.models import FollowUp

SHOWN = 200
AHEAD = datetime.timedelta(days=7)
OPEN_OUTCOMES = (FollowUpOutcome.PENDING, FollowUpOutcome.UNREACHABLE)


def follow_ups_due(user: User, cases: QuerySet[Case], today: datetime.date) -> dict[str, object]:
    """The caseworker's own page: follow-ups they own, still to log, due within a week or
    overdue, on cases the page may show that are not closed."""
    rows = (
        FollowUp.objects.filter(
            owner=user,
            outcome__in=OPEN_OUTCOMES,
            due_on__lte=today + AHEAD,
            case__in=cases,
        )
        .exclude(case__state=CaseState.CLOSED)
        .order_by("due_on", "pk")
    )
    return {"follow_ups": rows[:SHOWN], "today": today}
