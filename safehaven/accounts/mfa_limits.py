"""Per-user limit on wrong second-factor codes.

allauth limits wrong codes per address only (its per-user limit shares a bucket with the
password step, where a per-username limit would let anyone lock caseworkers out). Reaching
the code step proves the password, so a per-user limit here can only be tripped by someone
who has it: five wrong codes pause that account's code step for five minutes.
"""

from typing import Any

from allauth.mfa.base.forms import AuthenticateForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType

CODE_FAILURE_LIMIT = 5
CODE_FAILURE_WINDOW_SECONDS = 300


def _failure_key(user: Any, what: str) -> str:
    return f"safehaven-{what}-failures-{user.pk}"


def code_step_paused(user: Any, what: str = "mfa") -> bool:
    return int(cache.get(_failure_key(user, what), 0)) >= CODE_FAILURE_LIMIT


def count_code_failure(user: Any, what: str = "mfa") -> None:
    """Count one wrong secret of kind ``what`` (a code, or a password typed on an account
    page by a logged-in session, which a stolen session could otherwise guess at freely)."""
    key = _failure_key(user, what)
    cache.add(key, 0, CODE_FAILURE_WINDOW_SECONDS)
    failures = cache.incr(key)
    if failures == CODE_FAILURE_LIMIT:
        with transaction.atomic():
            record_event(
                EventType.MFA_FAILED_RATE_LIMITED,
                target=user,
                detail=f"{CODE_FAILURE_LIMIT} wrong {what} attempts; paused for 5 minutes",
            )


class RateLimitedAuthenticateForm(AuthenticateForm):
    def clean_code(self) -> str:
        if code_step_paused(self.user):
            raise ValidationError(
                _("Too many wrong codes. Wait five minutes, then try again."),
                code="rate_limited",
            )
        try:
            return str(super().clean_code())
        except ValidationError:
            count_code_failure(self.user)
            raise
