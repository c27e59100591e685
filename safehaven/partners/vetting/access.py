"""Who vets and suspends partner organisations: administrators (Perm.MANAGE_PARTNERS; 403 for
any other role), and only partner organisations (any other id is 404). In a coerced
administrator's duress session the pages about one organisation are not found."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from safehaven.accounts.access import Perm, get_or_404, require_perm
from safehaven.accounts.models import Organisation, User
from safehaven.keys.login_key import is_duress_session
from safehaven.partners.vetting.queries import partner_organisations


def require_partner_manager(request: HttpRequest) -> User:
    return require_perm(request, Perm.MANAGE_PARTNERS)


def access_partner_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    require_partner_manager(request)
    if is_duress_session(request):
        raise Http404
    return get_or_404(partner_organisations(), organisation_id)
