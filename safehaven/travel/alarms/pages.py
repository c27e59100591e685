"""What the staff home page and the case page show of journey alerts: clear columns only,
never anything sealed, so an on-call member who holds no key of a case sees the alert (and
may acknowledge it) without learning anything of the case but its number."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from safehaven.accounts.access import has_role
from safehaven.accounts.models import User
from safehaven.cases.access import cases_visible_to
from safehaven.cases.models import Case
from safehaven.keys.login_key import is_duress_session
from safehaven.travel.alarms.queries import alerts_for
from safehaven.travel.models import JourneyAlert
from safehaven.travel.on_call.queries import ON_CALL_ROLES, organisations_on_call

SHOWN = 100


@dataclass(frozen=True)
class AlertLine:
    alert: JourneyAlert
    can_open_case: bool
    can_acknowledge: bool


def alerts_home_section(request: HttpRequest, user: User) -> dict[str, object] | None:
    """The staff home page: the unacknowledged alerts ``user`` should act on, a link to each
    case only if they may open it, and the rota. None for a role that is never on call."""
    if not has_role(user, *ON_CALL_ROLES):
        return None
    now = timezone.now()
    alerts = list(
        alerts_for(user, now)
        .filter(acknowledged_at__isnull=True)
        .order_by("raised_at", "pk")[:SHOWN]
    )
    openable = set(
        cases_visible_to(user)
        .filter(pk__in={alert.case_id for alert in alerts})
        .values_list("pk", flat=True)
    )
    return {
        "alert_lines": [AlertLine(alert, alert.case_id in openable, True) for alert in alerts],
        "on_call": organisations_on_call(user, now).exists(),
    }


def alerts_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    """The case page's "Journey alerts": every alert of the case, with its state and the
    acknowledge button for those the viewer may acknowledge. None when the case has none."""
    user = request.user
    if not isinstance(user, User) or is_duress_session(request):
        return None
    alerts = list(JourneyAlert.objects.filter(case=case).select_related("acknowledged_by")[:SHOWN])
    if not alerts:
        return None
    theirs = set(alerts_for(user, timezone.now()).filter(case=case).values_list("pk", flat=True))
    lines = [
        AlertLine(alert, True, alert.acknowledged_at is None and alert.pk in theirs)
        for alert in alerts
    ]
    return {"journey_alerts": {"case": case, "lines": lines}}
