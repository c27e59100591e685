"""Who may make a one-time status code for a request: its key holders (triage and supervisors
for every request, a caseworker for one shared with them), never a partner's member."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from safehaven.accounts.access import get_or_404, has_role, require_role
from safehaven.accounts.models import Role, User
from safehaven.intake.access import requests_visible_to
from safehaven.intake.models import HelpRequest
from safehaven.intake.status_codes.actions import KEY_HOLDER_ROLES, may_get_status_code
from safehaven.keys.login_key import is_duress_session


def is_key_holder(user: User) -> bool:
    # A partner's member never, whatever other role they hold: a code opens the person's page.
    return has_role(user, *KEY_HOLDER_ROLES) and not has_role(user, Role.PARTNER)


def access_request_for_status_code(request: HttpRequest, request_id: int) -> HelpRequest:
    """403 for anyone but a key holder, 404 for a request outside their scope (or any in a
    duress session)."""
    user = require_role(request, *KEY_HOLDER_ROLES)
    if not is_key_holder(user):
        raise PermissionDenied
    if is_duress_session(request):
        raise Http404
    return get_or_404(requests_visible_to(user), request_id)


def may_issue_status_code(user: User, help_request: HelpRequest) -> bool:
    """Whether a request's page offers ``user`` to make a code for it."""
    return is_key_holder(user) and may_get_status_code(help_request)
