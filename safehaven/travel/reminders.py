"""Travel's reminders on the caseworker's own page (``cases.my_work.sections``): the pathway
steps they own that are due within a week or overdue, and the travel documents of their cases
whose renewal week has come. Clear columns only: nothing is opened there."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from safehaven.accounts.models import User
from safehaven.cases.models import Case
from safehaven.travel.choices import PathwayState, StepOutcome
from safehaven.travel.models import PathwayStep, TravelDocument

SHOWN = 200
STEPS_AHEAD = datetime.timedelta(days=7)


def travel_reminders(user: User, cases: QuerySet[Case], today: datetime.date) -> dict[str, object]:
    steps = (
        PathwayStep.objects.filter(
            owner=user,
            outcome=StepOutcome.PENDING,
            due_on__lte=today + STEPS_AHEAD,
            pathway__state=PathwayState.ACTIVE,
            pathway__case__in=cases,
        )
        .select_related("pathway")
        .order_by("due_on", "pk")
    )
    documents = TravelDocument.objects.filter(
        case__in=cases, removed_at__isnull=True, remind_on__lte=today
    ).order_by("remind_on", "pk")
    return {"steps": steps[:SHOWN], "documents": documents[:SHOWN], "today": today}
