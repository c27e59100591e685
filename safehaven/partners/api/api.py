"""The partner API object: its token auth, per-token rate limit, and one JSON shape for every
error (``detail``, with ``errors`` for fields or ``problems`` for CSV rows), never a page."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from safehaven.partners.api.auth import (
    PartnerTokenAuth,
    PerOrganisationThrottle,
    PerTokenThrottle,
    TooManyRefusals,
    record_refused_use,
)
from safehaven.partners.api.endpoints import router
from safehaven.partners.api.schemas import ReferralIn

# The operations by (method, URL name), for the audit log.
OPERATIONS = {
    ("POST", "partners-api-referrals"): "refer",
    ("GET", "partners-api-referrals"): "list",
    ("POST", "partners-api-import-referrals"): "import",
    ("GET", "partners-api-show-referral"): "show",
}
# The only field names an error may name (those of the schema, fixed text).
KNOWN_FIELDS = frozenset(ReferralIn.model_fields) | {"page", "request_id"}
# What ninja says when a body is no JSON at all (its own words, not translatable).
NINJA_UNPARSABLE = "Cannot parse request body"

api = NinjaAPI(
    title="Partner API",
    version="1",
    description=(
        "Refer people and read the neutral status of your organisation's referrals. Every "
        "call needs `Authorization: Bearer <token>` (a token made on the portal's API token "
        "page). Calls are limited per token and per organisation, in each app server: 429 "
        "with Retry-After."
    ),
    urls_namespace="partners-api",
    auth=PartnerTokenAuth(),
    throttle=[PerTokenThrottle("calls"), PerOrganisationThrottle("organisation_calls")],
    # Served by this app's own views (urls.py): a schema and a docs page under the site's CSP.
    docs_url=None,
    openapi_url=None,
)
api.add_router("/", router)


def operation_of(request: HttpRequest) -> str:
    match = request.resolver_match
    url_name = (match.url_name if match is not None else None) or ""
    return OPERATIONS.get((request.method or "", url_name), "other")


def _error(request: HttpRequest, status: int, body: dict[str, object]) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request,
        401,
        {"detail": _("A valid API token is needed: Authorization: Bearer <token>.")},
    )
    response["WWW-Authenticate"] = 'Bearer realm="partner-api"'
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    record_refused_use(request, operation=operation_of(request))
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if isinstance(part, str)]
        field = location[-1] if len(location) > 1 else ""
        # Only a field the schema names: an unknown key is the caller's input (it may be a
        # name or a phone number posted as a key), never echoed back or into a log.
        if field not in KNOWN_FIELDS:
            field = ""
        errors.append({"field": field, "message": str(error.get("msg", ""))})
    return _error(
        request, 422, {"detail": _("The request has errors; nothing was saved."), "errors": errors}
    )


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    if isinstance(exc, TooManyRefusals):
        detail = _("Too many calls with this token were refused: wait, then try again.")
    elif getattr(request, "partner_throttled_organisation", False):
        detail = _("Too many calls from your organisation's tokens: wait, then try again.")
    else:
        detail = _("Too many calls with this token: wait, then try again.")
    response = _error(request, 429, {"detail": detail})
    if exc.wait is not None:
        response["Retry-After"] = str(int(exc.wait))
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith(NINJA_UNPARSABLE):
        record_refused_use(request, operation=operation_of(request))
        return _error(request, 400, {"detail": _("The body is not valid JSON.")})
    return _error(request, exc.status_code, {"detail": str(exc)})


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, {"detail": _("Not found.")})


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, {"detail": _("The body is too large.")})
