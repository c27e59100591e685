"""The partner budgets (``PARTNER_API_RATE_LIMITS``): per token and per organisation for the
API, per organisation for the portal's refer and import pages, and for refused tokens. One
in-memory limiter for them all, counted in each app server's own memory (a restart forgets)."""

from __future__ import annotations

from django.conf import settings

from safehaven.core.public_forms.rate_limits import Decision, RateLimiter

LIMITER = RateLimiter(lambda: settings.PARTNER_API_RATE_LIMITS)


def organisation_hit(bucket: str, organisation_id: int) -> Decision:
    """Count one call of ``organisation`` against ``bucket``."""
    return LIMITER.hit(bucket, f"organisation:{organisation_id}")


def token_hit(bucket: str, token_id: int | None) -> Decision:
    """Count one call with token ``token_id`` (None: no token) against ``bucket``."""
    return LIMITER.hit(bucket, f"token:{token_id if token_id is not None else 'none'}")
