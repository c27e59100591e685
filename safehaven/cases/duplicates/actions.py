"""Deciding on a possible duplicate: two cases are different people (merging them is
``cases.merging``). The views call this only after the actor's own key opened both cases on
the comparison page (``cases.duplicates.comparison``)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, DistinctCasePair
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType


def refuse_unless_comparable(case: Case, other: Case) -> None:
    """Two different, unmerged cases of the same organisation: anything else is no pair."""
    if case.pk == other.pk:
        raise CaseActionRefused(_("A case cannot be compared with itself."))
    if case.organisation_id != other.organisation_id:
        raise CaseActionRefused(_("These cases belong to different organisations."))
    if case.merged_into_id is not None or other.merged_into_id is not None:
        raise CaseActionRefused(_("One of these cases was already merged into another."))


def do_mark_cases_distinct(case: Case, other: Case, *, actor: User) -> DistinctCasePair:
    """Record that ``case`` and ``other`` are different people, so they are not proposed
    again. Audited with the two case ids only."""
    refuse_unless_comparable(case, other)
    first, second = sorted((case, other), key=lambda row: row.pk)
    try:
        with transaction.atomic():
            pair = DistinctCasePair.objects.create(first=first, second=second, marked_by=actor)
            record_event(
                EventType.CASES_MARKED_DISTINCT,
                actor=actor,
                organisation=first.organisation,
                target=first,
                detail=f"case #{first.pk} case #{second.pk}",
            )
    except IntegrityError:
        raise CaseActionRefused(_("These cases are already marked as different people.")) from None
    return pair
