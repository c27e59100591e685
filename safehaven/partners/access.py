"""Access helpers for the partner portal: the only way its views find the member's organisation
and one of its referrals.

A partner member sees only their own organisation's referrals: another organisation's is 404,
as if it did not exist (never 403, which would confirm a guessed id). Staff roles get 403 (they
have their own pages); a suspended organisation's members get 403 (they refer and open nothing);
in a duress session there is nothing at all (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from safehaven.accounts.access import Perm, get_or_404, require_perm
from safehaven.accounts.models import Membership, Organisation, Role, User
from safehaven.intake.models import HelpRequest
from safehaven.keys.login_key import is_duress_session
from safehaven.partners.models import ApiToken
from safehaven.partners.vetting.queries import is_suspended


def member_organisation(user: User) -> Organisation | None:
    """The partner organisation ``user`` is a member of (the first, should there be several:
    a partner member belongs to one organisation), or None."""
    membership = (
        Membership.objects.filter(user=user, role=Role.PARTNER)
        .select_related("organisation")
        .order_by("organisation_id", "pk")
        .first()
    )
    return membership.organisation if membership is not None else None


def partner_organisation_of(request: HttpRequest) -> Organisation:
    """The organisation of the partner member making ``request``: 403 for anyone else and for
    a suspended organisation's members, 404 in a duress session."""
    user = require_perm(request, Perm.VIEW_REFERRALS)
    if is_duress_session(request):
        raise Http404
    organisation = member_organisation(user)
    if organisation is None or is_suspended(organisation):
        raise PermissionDenied
    return organisation


def access_referral(request: HttpRequest, request_id: int) -> HelpRequest:
    """One referral of the member's organisation, not erased; 404 for any other request."""
    organisation = partner_organisation_of(request)
    referrals = HelpRequest.objects.filter(referred_by=organisation, shredded_at__isnull=True)
    # Nothing sealed is loaded: the portal never opens the request's own fields.
    unopened = referrals.defer("codename_hash", *HelpRequest.sealed_field_names())
    return get_or_404(unopened.select_related("referred_by"), request_id)


def api_tokens_of(request: HttpRequest) -> QuerySet[ApiToken]:
    """The API tokens of the member's own organisation (403 and 404 as
    ``partner_organisation_of``)."""
    organisation = partner_organisation_of(request)
    return ApiToken.objects.filter(organisation=organisation).select_related("created_by")


def access_api_token(request: HttpRequest, token_id: int) -> ApiToken:
    """One token of the member's own organisation: another organisation's is 404."""
    return get_or_404(api_tokens_of(request), token_id)
