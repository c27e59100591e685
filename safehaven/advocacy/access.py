"""The one way advocacy views fetch a request or an inclusion.

The advocacy role (``ADVOCATE``) sees the requests of the organisations where it holds that
role, and only as counts. A key holder of cases (``OPEN_CASES``: triage, supervisors,
caseworkers) reaches a request of their own organisation only to print it with the people
named in the cases their key opens. The wrong role gets 403, a request outside the user's
organisations 404, as does anything in a duress session.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from safehaven.accounts.access import ROLE_PERMISSIONS, Perm, get_or_404, require_perm
from safehaven.accounts.models import Membership, Organisation, User
from safehaven.advocacy.choices import OPEN_STATUSES
from safehaven.advocacy.models import AdvocacyInclusion, AdvocacyRequest
from safehaven.cases.access import access_case
from safehaven.keys.login_key import is_duress_session


def organisations_with(user: User, need: Perm) -> QuerySet[Organisation]:
    """The organisations where ``user`` holds a role that gives ``need``."""
    held = Membership.objects.filter(user=user, role__in=ROLE_PERMISSIONS[need])
    return Organisation.objects.filter(pk__in=held.values("organisation_id"))


def requests_for(user: User, need: Perm = Perm.ADVOCATE) -> QuerySet[AdvocacyRequest]:
    return AdvocacyRequest.objects.filter(
        organisation__in=organisations_with(user, need)
    ).select_related("organisation", "crisis")


def visible_advocacy_requests(request: HttpRequest) -> QuerySet[AdvocacyRequest]:
    """The advocacy role's list: 403 without ``ADVOCATE``, none in a duress session."""
    user = require_perm(request, Perm.ADVOCATE)
    if is_duress_session(request):
        return AdvocacyRequest.objects.none()
    return requests_for(user)


def _access(request: HttpRequest, advocacy_request_id: int, need: Perm) -> AdvocacyRequest:
    user = require_perm(request, need)
    if is_duress_session(request):
        raise Http404
    return get_or_404(requests_for(user, need), advocacy_request_id)


def access_advocacy_request(request: HttpRequest, advocacy_request_id: int) -> AdvocacyRequest:
    """A request of the advocacy officer's organisation: 403 for any other role, 404 outside."""
    return _access(request, advocacy_request_id, Perm.ADVOCATE)


def access_request_for_key_holder(
    request: HttpRequest, advocacy_request_id: int
) -> AdvocacyRequest:
    """A request of an organisation where the user may open cases (to print it with the
    people named in the cases their own key opens)."""
    return _access(request, advocacy_request_id, Perm.OPEN_CASES)


def open_requests_of(organisation: Organisation) -> QuerySet[AdvocacyRequest]:
    """The requests a case of ``organisation`` can still be counted in."""
    return AdvocacyRequest.objects.filter(
        organisation=organisation, status__in=OPEN_STATUSES
    ).select_related("crisis")


def access_inclusion(request: HttpRequest, case_id: int, inclusion_id: int) -> AdvocacyInclusion:
    """An inclusion of a case the user may open (``access_case``: 403 / 404 inside), counted
    now (a removed one is 404)."""
    case = access_case(request, case_id, need=Perm.OPEN_CASES)
    rows = AdvocacyInclusion.objects.filter(case=case, removed_at__isnull=True).select_related(
        "case__organisation", "advocacy_request__organisation", "advocacy_request__crisis"
    )
    return get_or_404(rows, inclusion_id)
