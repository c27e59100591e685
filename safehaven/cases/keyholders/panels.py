"""The case page's "Who can open what and why" panel: read from the wraps alone."""

from __future__ import annotations

from django.http import HttpRequest

from safehaven.accounts.access import Perm, current_user, has_perm
from safehaven.accounts.models import User
from safehaven.cases.choices import AssignmentRole
from safehaven.cases.keyholders.holders import record_holders, unkeyed_assignees
from safehaven.cases.models import Case, CaseAssignment
from safehaven.keys.login_key import is_duress_session


def may_see_keyholders(user: User, case: Case) -> bool:
    """Case managers (triage, supervisors) and the case's own caseworkers."""
    if has_perm(user, Perm.MANAGE_CASES):
        return True
    return CaseAssignment.objects.filter(
        case=case, user=user, role=AssignmentRole.CASEWORKER
    ).exists()


def keyholders_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    user = current_user(request)
    if is_duress_session(request) or not may_see_keyholders(user, case):
        return None
    return {
        "case": case,
        "records": record_holders(case),
        "unkeyed": unkeyed_assignees(case),
        "can_rekey": has_perm(user, Perm.MANAGE_CASES),
    }
