"""The case page's risk panel: the score term by term for a reader whose key opens the request
the score came from; the total only for anyone else who may see the case."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from safehaven.accounts.access import Perm, current_user, has_perm
from safehaven.accounts.models import User
from safehaven.cases.access import cases_visible_to
from safehaven.cases.links import listed_requests
from safehaven.cases.models import Case
from safehaven.cases.risk.explain import explain_case_risk, scoring_request
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.intake.models import HelpRequest
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.login_key import is_duress_session, unlocked_private_key
from safehaven.keys.records import open_record


def _opened(help_request: HelpRequest, user: User, private_key: bytes | None) -> bool:
    """Open the request with the reader's key, recording the read as its own page would."""
    if private_key is None or help_request.is_shredded:
        return False
    try:
        opened = open_record(help_request.record_id, user=user, private_key=private_key)
    except RecordUnavailable:
        return False
    help_request.open_with(opened)
    with transaction.atomic():
        record_event(EventType.REQUEST_VIEWED, actor=user, target=help_request)
    return True


def risk_panel(request: HttpRequest, case: Case) -> dict[str, object] | None:
    user = current_user(request)
    if is_duress_session(request) or not has_perm(user, Perm.OPEN_CASES):
        return None
    if not cases_visible_to(user).filter(pk=case.pk).exists():
        return None
    scored = scoring_request(case, listed_requests(case))
    opened = [scored] if scored and _opened(scored, user, unlocked_private_key(request)) else []
    return {
        "risk": explain_case_risk(case, opened, timezone.localdate()),
        "risk_country": case.country,
    }
