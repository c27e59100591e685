"""Access helpers for help requests: the only way staff views fetch one.

Triage (and supervisors) see every request that is not erased; a partner organisation's
members see only the requests referred with one of their codes; a caseworker sees only the
requests a key holder shared with them (wrapped to their own key or to one of their teams: need
to know, never the inbox). Anyone else with a role gets 403; an outsider to a request (partner B
asking for partner A's referral, a caseworker for one not shared with them) gets 404, as if it
did not exist. In a duress session there is nothing to see at all.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from safehaven.accounts.access import (
    Perm,
    get_or_404,
    granting_memberships,
    has_perm,
    require_perm,
)
from safehaven.accounts.models import Membership, Role, User
from safehaven.intake.models import HelpRequest
from safehaven.keys.login_key import is_duress_session
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind


def partner_organisation_ids(user: User) -> list[int]:
    # Not a suspended partner's (accounts.access.granting_memberships).
    return list(
        granting_memberships(user)
        .filter(role=Role.PARTNER)
        .values_list("organisation_id", flat=True)
    )


def shared_record_ids(user: User) -> QuerySet[RecordKeyWrap, Any]:
    """The record ids wrapped to ``user``'s own key or to a team they are a member of."""
    team_ids = Membership.objects.filter(user=user, team__isnull=False).values("team_id")
    wraps = RecordKeyWrap.objects.filter(kind=RecordWrapKind.USER, user=user) | (
        RecordKeyWrap.objects.filter(kind=RecordWrapKind.TEAM, team_id__in=team_ids)
    )
    return wraps.values("record_key__record_id")


def requests_visible_to(user: User) -> QuerySet[HelpRequest]:
    """Every request ``user`` may open, by role: all for triage, own referrals for partners,
    those shared with them for caseworkers."""
    live = HelpRequest.objects.filter(shredded_at__isnull=True)
    if has_perm(user, Perm.TRIAGE_REQUESTS):
        return live
    if has_perm(user, Perm.VIEW_REFERRALS):
        return live.filter(referred_by_id__in=partner_organisation_ids(user))
    if has_perm(user, Perm.VIEW_SHARED_REQUESTS):
        return live.filter(record_id__in=shared_record_ids(user))
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
