"""Bulk actions of the queue: the same action, once per checked case, each in its own
transaction and audited on its own; a refusal on one case leaves the others done and is
reported with its reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.assignment.actions import do_assign_case
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.cases.workflow.actions import do_move_case


@dataclass
class BulkOutcome:
    done: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def act_on_each(
    cases: QuerySet[Case],
    case_ids: list[int],
    act: Callable[[Case], object],
    *,
    within: QuerySet[Case] | None = None,
) -> BulkOutcome:
    """Run ``act`` on each case of ``case_ids`` that ``cases`` holds; the others are reported
    as not found (outside the user's cases, or gone). ``within``, the same cases narrowed by
    the queue's filters (a crisis...), refuses the ticked cases outside them: posted by hand,
    or from a page shown with other filters."""
    outcome = BulkOutcome()
    found = {case.pk: case for case in cases.filter(pk__in=case_ids).select_related("organisation")}
    filtered = (
        set(within.filter(pk__in=case_ids).values_list("pk", flat=True))
        if within is not None
        else set(found)
    )
    for case_id in case_ids:
        case = found.get(case_id)
        if case is None:
            outcome.failed.append((case_id, _("No such case among yours.")))
            continue
        if case_id not in filtered:
            outcome.failed.append(
                (case_id, _("Not among the cases of your filter: left as it was."))
            )
            continue
        try:
            act(case)
        except CaseActionRefused as refusal:
            outcome.failed.append((case_id, str(refusal)))
        else:
            outcome.done.append(case_id)
    return outcome


def assign_each(
    cases: QuerySet[Case],
    case_ids: list[int],
    *,
    caseworker: User,
    actor: User,
    private_key: bytes,
    within: QuerySet[Case] | None = None,
) -> BulkOutcome:
    def assign(case: Case) -> object:
        return do_assign_case(
            case,
            user=caseworker,
            role=AssignmentRole.CASEWORKER,
            actor=actor,
            private_key=private_key,
        )

    return act_on_each(cases, case_ids, assign, within=within)


def decline_each(
    cases: QuerySet[Case],
    case_ids: list[int],
    *,
    reason: str,
    actor: User,
    private_key: bytes,
    within: QuerySet[Case] | None = None,
) -> BulkOutcome:
    """Decline each case with the same reason through the workflow's one move action, which
    sends each person the neutral message in their language."""

    def decline(case: Case) -> object:
        return do_move_case(
            case,
            to_state=CaseState.DECLINED,
            reason=reason,
            actor=actor,
            private_key=private_key,
        )

    return act_on_each(cases, case_ids, decline, within=within)
