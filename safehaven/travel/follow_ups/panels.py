"""The case page's follow-ups panel, for a viewer whose key opens the case's casework: the
"Confirm safe arrival" form for a case in transit, a "Schedule the follow-ups" button for an
arrived case without genuine follow-ups (moved by the ordinary move form), the follow-ups
with their due days (overdue marked) and notes, and a form to log each."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from safehaven.cases.choices import CaseState
from safehaven.cases.models import Case
from safehaven.cases.panels import casework_viewer
from safehaven.travel.follow_ups.forms import ConfirmArrivalForm
from safehaven.travel.follow_ups.pages import case_follow_ups

SHOWN_FROM = frozenset({CaseState.IN_TRANSIT, CaseState.ARRIVED, CaseState.POST_ARRIVAL})


def follow_ups_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    viewer = casework_viewer(request, case)
    if viewer is None:
        return None
    opened = viewer.casework
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
