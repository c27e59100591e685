"""Acknowledging a journey alert, from the staff home page or the case page's alerts panel.
The alert is looked up among those the user may acknowledge (404 otherwise), not through the
case's access: an on-call member without access to the case acknowledges it too."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safehaven.accounts.access import get_or_404, require_role
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.keys.login_key import is_duress_session
from safehaven.travel.alarms.actions import do_acknowledge_alert
from safehaven.travel.alarms.queries import alerts_for
from safehaven.travel.on_call.queries import ON_CALL_ROLES


@require_POST
def acknowledge_alert(request: HttpRequest, case_id: int, alert_id: int) -> HttpResponse:
    user = require_role(request, *ON_CALL_ROLES)
    if is_duress_session(request):
        raise Http404
    alerts = alerts_for(user, timezone.now()).filter(case_id=case_id)
    alert = get_or_404(alerts.select_related("case"), alert_id)
    try:
        do_acknowledge_alert(alert, actor=user)
    except CaseActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Alert acknowledged: it goes to nobody else now."))
    if request.POST.get("back") == "case":
        return redirect("cases-show-case", case_id=alert.case_id)
    return redirect("accounts-show-home")
