"""Who may call the partner API: a Bearer token of a partner organisation that is neither
revoked, expired nor suspended, made by a member who still may refer for that organisation
(active, not suspended, keys not suspended by a duress login, still a partner member there).
Every refusal is the same 401, whatever its reason (a caller learns nothing about a token it
holds); a refusal of a token we know, a revoked one included, is audited, by ids, once per
token and window (a revoked token that keeps calling must not flood the audit chain). A
secret refused again and again is answered 429 until its window ends, known or not.

After the token, before any body is read: the per-token and per-organisation rate limits and
the body's size and content type (the API's own 4xx, never Django's error pages).
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError, Throttled
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from safehaven.accounts.access import granting_memberships
from safehaven.accounts.models import Role
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType
from safehaven.partners.api.rate_limits import LIMITER, organisation_hit, token_hit
from safehaven.partners.api.tokens import identify_token
from safehaven.partners.models import ApiToken
from safehaven.partners.vetting.queries import is_suspended

# The media types each operation that takes a body accepts, by URL name.
ACCEPTED_BODIES = {
    "partners-api-referrals": frozenset({"application/json"}),
    "partners-api-import-referrals": frozenset({"application/json", "text/csv"}),
}


def refusal_reason(token: ApiToken) -> str:
    """Why a known token may not be used now ("" when it may)."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= timezone.now():
        return "expired"
    if is_suspended(token.organisation_id):
        return "suspended"
    if not maker_may_still_refer(token):
        return "maker"
    return ""


def maker_may_still_refer(token: ApiToken) -> bool:
    """Whether the member who made ``token`` may still refer for its organisation: active,
    not suspended, their keys not suspended by a duress login, and still holding a partner
    membership there that grants anything. A token acts for its maker: it must not outlive
    what its maker may do. One query (``identify_token`` loads the maker with the token)."""
    maker = token.created_by
    if maker is None or not maker.is_active or maker.is_suspended:
        return False
    # A duress login suspends the maker's key pair (keys.actions.duress); none: never one.
    keys_usable = Q(user__key_pair__isnull=True) | Q(user__key_pair__suspended_at__isnull=True)
    return (
        granting_memberships(maker)
        .filter(keys_usable, organisation_id=token.organisation_id, role=Role.PARTNER)
        .exists()
    )


class TooManyRefusals(Throttled):
    """A secret that was refused too often in its window: 429 until the window ends."""


def _secret_digest(secret: str) -> str:
    # What the refusal budget counts: the secret itself never goes into the limiter's keys.
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def usable_token(secret: str) -> ApiToken | None:
    """The token ``secret`` is, if it may be used now. A refused secret counts against its
    refusal budget (past it: :class:`TooManyRefusals`); the refusal of a known token is
    audited once per token and window, later ones quietly."""
    token, revoked = identify_token(secret)
    if token is None:
        reason = "unknown"
    elif revoked:
        reason = "revoked"  # by its revoked mark, whatever revoked_at says now
    else:
        reason = refusal_reason(token)
    if not reason:
        return token
    budget = LIMITER.hit("refused_calls", f"secret:{_secret_digest(secret)}")
    if not budget.allowed:
        raise TooManyRefusals(wait=budget.retry_after)
    if token is not None and token_hit("refusal_audits", token.pk).allowed:
        with transaction.atomic():
            record_event(
                EventType.API_TOKEN_REFUSED,
                organisation=token.organisation,
                target=token,
                detail=f"reason={reason}",
            )
    return None


class BodyRefused(HttpError):
    """A body this API does not read (too large, or of a type the operation does not take)."""


def check_body(request: HttpRequest) -> None:
    """Refuse an oversize body or one of the wrong type before anything reads it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BodyRefused(400, _("The Content-Length header is not a number.")) from None
    limit = settings.PARTNER_API_MAX_BODY_BYTES
    if length > limit:
        raise BodyRefused(
            413, _("The body is too large: at most %(bytes)d bytes.") % {"bytes": limit}
        )
    match = request.resolver_match
    accepted = ACCEPTED_BODIES.get(match.url_name or "") if match is not None else None
    if request.method != "POST" or accepted is None:
        return
    if request.content_type not in accepted:
        raise BodyRefused(
            415,
            _("Send the body as %(types)s.") % {"types": " or ".join(sorted(accepted))},
        )


class PartnerTokenAuth(HttpBearer):
    """``Authorization: Bearer shp_…``: the request's ``auth`` is then the ApiToken."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = usable_token(token.strip())
        if found is not None:
            check_body(request)
        return found


def record_token_use(
    request: HttpRequest, *, operation: str, count: int, outcome: str = "done"
) -> None:
    """One API_TOKEN_USED event (ids and counts only) and ``last_used_at`` to the hour, in the
    caller's transaction: the event exists exactly when what it describes does."""
    token = request.auth  # type: ignore[attr-defined]
    hour = this_hour()
    if token.last_used_at != hour:
        ApiToken.objects.filter(pk=token.pk).exclude(last_used_at=hour).update(last_used_at=hour)
        token.last_used_at = hour
    record_event(
        EventType.API_TOKEN_USED,
        organisation=token.organisation,
        target=token,
        detail=f"op={operation} outcome={outcome} count={count}",
    )


def record_refused_use(request: HttpRequest, *, operation: str) -> None:
    """An accepted token whose call was refused (bad body, unknown referral): audited too,
    so that probing with a stolen token shows in the log."""
    if isinstance(getattr(request, "auth", None), ApiToken):
        with transaction.atomic():
            record_token_use(request, operation=operation, count=0, outcome="refused")


class PerTokenThrottle(BaseThrottle):
    """A fixed-window budget per token, counted in this process's memory only (each app
    server counts its own, and a restart forgets): ``bucket`` names a
    ``PARTNER_API_RATE_LIMITS`` entry."""

    def __init__(self, bucket: str) -> None:
        self.bucket = bucket
        self._last = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        token: Any = getattr(request, "auth", None)
        decision = token_hit(self.bucket, getattr(token, "pk", None))
        self._last.retry_after = decision.retry_after
        return decision.allowed

    def wait(self) -> float | None:
        return getattr(self._last, "retry_after", None)


class PerOrganisationThrottle(PerTokenThrottle):
    """The same, for all the tokens of one organisation together: making more tokens does not
    buy more calls. A refusal marks the request, so that the answer names the organisation."""

    def allow_request(self, request: HttpRequest) -> bool:
        token: Any = getattr(request, "auth", None)
        decision = organisation_hit(self.bucket, getattr(token, "organisation_id", 0))
        self._last.retry_after = decision.retry_after
        if not decision.allowed:
            request.partner_throttled_organisation = True  # type: ignore[attr-defined]
        return decision.allowed
