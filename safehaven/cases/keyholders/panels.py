"""The case page's "Who can open what and why" panel: read from the wraps alone."""

from __future__ import annotations

from django.http import HttpRequest

from safehaven.accounts.access import Perm, current_user, has_perm
from safehaven.accounts.models import User
from safehaven.cases.assignment.forms import AssignCaseForm
from safehaven.cases.choices import AssignmentRole, CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.keyholders.holders import (
    case_assignees,
    record_holders,
    unkeyed_assignees,
)
from safehaven.cases.models import Case, CaseAssignment
from safehaven.keys.login_key import is_duress_session, unlocked_private_key
from safehaven.keys.opened import OpenedRecord


def may_see_keyholders(user: User, case: Case) -> bool:
    """Case managers (triage, supervisors) and the case's own caseworkers."""
    if has_perm(user, Perm.MANAGE_CASES):
        return True
    return CaseAssignment.objects.filter(
        case=case, user=user, role=AssignmentRole.CASEWORKER
    ).exists()


def _viewer_casework(request: HttpRequest, user: User, case: Case) -> OpenedRecord | None:
    private_key = unlocked_private_key(request)
    if private_key is None:
        return None
    return open_compartment(case, CompartmentKind.CASEWORK, user=user, private_key=private_key)


def keyholders_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    user = current_user(request)
    if is_duress_session(request) or not may_see_keyholders(user, case):
        return None
    casework = _viewer_casework(request, user, case)
    manage = has_perm(user, Perm.MANAGE_CASES)
    return {
        "case": case,
        "records": record_holders(case, casework),
        "unkeyed": unkeyed_assignees(case, casework),
        "checked": casework is not None,
        "can_rekey": manage,
        "can_assign": manage,
        "assignees": case_assignees(case, casework) if manage else [],
        "assign_form": AssignCaseForm(case=case) if manage and not case.is_closed else None,
    }
