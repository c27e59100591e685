"""The case page's follow-ups panel, for a viewer whose key opens the case's casework: the
"Confirm safe arrival" form for a case in transit, a "Schedule the follow-ups" button for an
arrived case without genuine follow-ups (moved by the ordinary move form), the follow-ups
with their due days (overdue marked) and notes, and a form to log each."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from safehaven.accounts.access import Perm, has_perm
from safehaven.accounts.models import User
from safehaven.cases.choices import CaseState, CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.models import Case
from safehaven.keys.login_key import unlocked_private_key
from safehaven.travel.follow_ups.forms import ConfirmArrivalForm
from safehaven.travel.follow_ups.pages import case_follow_ups

SHOWN_FROM = frozenset({CaseState.IN_TRANSIT, CaseState.ARRIVED, CaseState.POST_ARRIVAL})


def follow_ups_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    user = request.user
    if not isinstance(user, User) or not has_perm(user, Perm.OPEN_CASES):
        return None
    private_key = unlocked_private_key(request)
    if private_key is None:
        return None
    opened = open_compartment(case, CompartmentKind.CASEWORK, user=user, private_key=private_key)
    if opened is None:
        return None
    today = timezone.localdate()
    rows = case_follow_ups(case, opened, today)
    if not rows and case.state not in SHOWN_FROM:
        return None
    in_transit = case.state == CaseState.IN_TRANSIT
    genuine = any(not item.forged for item in rows)
    return {
        "follow_ups": {
            "case": case,
            "rows": rows,
            "arrival_form": ConfirmArrivalForm(auto_id="arrival-%s") if in_transit else None,
            "can_schedule": case.state == CaseState.ARRIVED and not genuine,
        }
    }
