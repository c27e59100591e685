"""Access helpers for help requests: the only way staff views fetch one.

Triage (and supervisors) see every request that is not erased; a partner organisation's
members see only the requests referred with one of their codes. Anyone else with a role gets
403; an outsider to a request (partner B asking for partner A's referral) gets 404, as if it did
not exist. In a duress session there is nothing to see at all.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from safehaven.accounts.access import Perm, get_or_404, has_perm, require_perm
from safehaven.accounts.models import Membership, Role, User
from safehaven.intake.models import HelpRequest
from safehaven.keys.login_key import is_duress_session


def partner_organisation_ids(user: User) -> list[int]:
    return list(
        Membership.objects.filter(user=user, role=Role.PARTNER).values_list(
            "organisation_id", flat=True
        )
    )


def requests_visible_to(user: User) -> QuerySet[HelpRequest]:
    """Every request ``user`` may open, by role: all for triage, own referrals for partners."""
    live = HelpRequest.objects.filter(shredded_at__isnull=True)
    if has_perm(user, Perm.TRIAGE_REQUESTS):
        return live
    if has_perm(user, Perm.VIEW_REFERRALS):
        return live.filter(referred_by_id__in=partner_organisation_ids(user))
    return live.none()


def visible_requests(request: HttpRequest, need: Perm) -> QuerySet[HelpRequest]:
    """The requests a list page shows: 403 without ``need``, none in a duress session."""
    user = require_perm(request, need)
    if is_duress_session(request):
        return HelpRequest.objects.none()
    return requests_visible_to(user)


def access_help_request(
    request: HttpRequest, request_id: int, need: Perm = Perm.TRIAGE_REQUESTS
) -> HelpRequest:
    """One request the user may act on with ``need``: 403 for the wrong role, 404 for a
    request outside their scope (or any request in a duress session)."""
    user = require_perm(request, need)
    if is_duress_session(request):
        raise Http404
    return get_or_404(requests_visible_to(user).select_related("referred_by"), request_id)
