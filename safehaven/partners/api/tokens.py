"""API tokens of a partner organisation: made (the secret shown once), revoked, looked up.

A token is ``shp_`` and 32 random bytes (256 bits). What is kept is its HMAC-SHA256 under a key
derived from SECRET_KEY (not in the database), over the secret and what the token grants (its
organisation, team and expiry): whoever can only write the database can neither store a token
of their own choosing nor move a real one to another organisation or extend it. ``prefix``
(the first twelve characters, 48 random bits) finds the row and tells tokens apart on the
list page; it cannot be used. A presented token is compared with ``hmac.compare_digest``.

Revoking a token also replaces its hash with its *revoked mark*, a keyed hash of that hash
(same shape, another key derived from SECRET_KEY): no secret matches it as a hash, so clearing
``revoked_at`` (a database writer) brings nothing back; but the secret still finds the row
as revoked, so a call with a revoked token is refused *and* audited. An organisation holds at
most ``PARTNER_API_MAX_LIVE_TOKENS`` live tokens at once.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safehaven.accounts.models import Organisation, Team, TeamKind, User
from safehaven.core.audit import record_event
from safehaven.core.crypto import derive_key
from safehaven.core.event_types import EventType
from safehaven.partners.models import ApiToken
from safehaven.partners.vetting.queries import is_suspended

SECRET_PREFIX = "shp_"  # noqa: S105 (what every token begins with, not a secret)
SECRET_BYTES = 32
SHOWN_PREFIX_LENGTH = 12
# secrets.token_urlsafe(32) is 43 characters; anything much longer is no token of ours.
MAX_SECRET_LENGTH = 64
VALID_DAYS_DEFAULT = 90
VALID_DAYS_MAX = 365
TOKEN_HASH_LABEL = "safehaven partner api token hash v1"  # noqa: S105 (a label)
REVOKED_MARK_LABEL = "safehaven partner api token revoked mark v1"


class ApiTokenRefused(Exception):
    """A token action that cannot be done; the message is safe to show."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@functools.lru_cache(maxsize=4)
def _token_hash_key(secret_key: str) -> bytes:
    return derive_key(secret_key.encode(), TOKEN_HASH_LABEL)


@functools.lru_cache(maxsize=4)
def _revoked_mark_key(secret_key: str) -> bytes:
    return derive_key(secret_key.encode(), REVOKED_MARK_LABEL)


def token_hash(secret: str, *, organisation_id: int, team_id: int, expires_at: datetime) -> str:
    """The keyed hash kept of a token, binding what it grants (module docstring)."""
    key = _token_hash_key(settings.SECRET_KEY)
    granted = f"{secret}\x00{organisation_id}\x00{team_id}\x00{int(expires_at.timestamp())}"
    return hmac.new(key, granted.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def hash_for(token: ApiToken, secret: str) -> str:
    return token_hash(
        secret,
        organisation_id=token.organisation_id,
        team_id=token.team_id,
        expires_at=token.expires_at,
    )


def revoked_mark(kept_hash: str) -> str:
    """What a revoked token keeps instead of its hash (module docstring). One-way and keyed:
    the database alone gives back neither the hash nor a row that a secret opens."""
    key = _revoked_mark_key(settings.SECRET_KEY)
    return hmac.new(key, kept_hash.encode("utf-8"), hashlib.sha256).hexdigest()


def looks_like_a_secret(secret: str) -> bool:
    return (
        secret.startswith(SECRET_PREFIX)
        and SHOWN_PREFIX_LENGTH < len(secret) <= MAX_SECRET_LENGTH
        and secret.isascii()
    )


def identify_token(secret: str) -> tuple[ApiToken | None, bool]:
    """The token ``secret`` is, and whether it was revoked: ``(None, False)`` when it is none.

    A revoked token is found by its revoked mark and is revoked whatever ``revoked_at`` says.
    """
    if not looks_like_a_secret(secret):
        return None, False
    candidates = ApiToken.objects.select_related("organisation", "created_by").filter(
        prefix=secret[:SHOWN_PREFIX_LENGTH]
    )
    for candidate in candidates[:5]:
        presented = hash_for(candidate, secret)
        if hmac.compare_digest(candidate.token_hash, presented):
            return candidate, False
        if hmac.compare_digest(candidate.token_hash, revoked_mark(presented)):
            return candidate, True
    return None, False


def find_token(secret: str) -> ApiToken | None:
    """The token ``secret`` is (expired or not), or None; None too once it is revoked."""
    token, revoked = identify_token(secret)
    return None if revoked else token


def _new_secret() -> str:
    while True:
        secret = SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
        if not ApiToken.objects.filter(prefix=secret[:SHOWN_PREFIX_LENGTH]).exists():
            return secret


def partner_team_of(organisation: Organisation) -> Team | None:
    """The team whose key the organisation's referrals are wrapped to."""
    return (
        Team.objects.filter(organisation=organisation, kind=TeamKind.PARTNER).order_by("pk").first()
    )


def live_tokens(organisation: Organisation) -> QuerySet[ApiToken]:
    """The organisation's tokens that are neither revoked nor expired."""
    return ApiToken.objects.filter(
        organisation=organisation, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def do_create_api_token(
    *, organisation: Organisation, label: str, valid_days: int, actor: User
) -> tuple[ApiToken, str]:
    """Make a token for ``organisation``; returns it and its secret, which is never kept and
    must be shown to ``actor`` once, now."""
    label = label.strip()
    if not label:
        raise ApiTokenRefused(_("Give the token a name, so that you can tell it apart later."))
    if not 1 <= valid_days <= VALID_DAYS_MAX:
        raise ApiTokenRefused(
            _("A token is valid for 1 to %(days)d days.") % {"days": VALID_DAYS_MAX}
        )
    with transaction.atomic():
        # Locked, so that two tokens made at once cannot both pass the cap below.
        list(Organisation.objects.select_for_update().filter(pk=organisation.pk).values("pk"))
        if is_suspended(organisation):
            raise ApiTokenRefused(_("Your organisation is suspended: it cannot make API tokens."))
        cap = settings.PARTNER_API_MAX_LIVE_TOKENS
        if live_tokens(organisation).count() >= cap:
            raise ApiTokenRefused(
                ngettext(
                    "Your organisation already has %(count)d token in use, the most it may "
                    "have: revoke one it no longer needs, then make the new one.",
                    "Your organisation already has %(count)d tokens in use, the most it may "
                    "have: revoke one it no longer needs, then make the new one.",
                    cap,
                )
                % {"count": cap}
            )
        team = partner_team_of(organisation)
        if team is None:
            raise ApiTokenRefused(
                _("Your organisation has no partner team yet: ask the organisation to set it up.")
            )
        secret = _new_secret()
        # Whole seconds: the expiry is bound into the hash as a number of seconds.
        expires_at = (timezone.now() + timedelta(days=valid_days)).replace(microsecond=0)
        hashed = token_hash(
            secret, organisation_id=organisation.pk, team_id=team.pk, expires_at=expires_at
        )
        token = ApiToken.objects.create(
            organisation=organisation,
            team=team,
            label=label[:100],
            token_hash=hashed,
            prefix=secret[:SHOWN_PREFIX_LENGTH],
            created_by=actor,
            expires_at=expires_at,
        )
        record_event(
            EventType.API_TOKEN_CREATED,
            actor=actor,
            organisation=organisation,
            target=token,
            detail=f"days={valid_days}",
        )
    return token, secret


def do_revoke_api_token(token: ApiToken, *, actor: User) -> ApiToken:
    """Revoke one token at once (the next call with it is refused). Revoking a token that is
    revoked already changes nothing and records nothing."""
    with transaction.atomic():
        live = ApiToken.objects.select_for_update().filter(pk=token.pk, revoked_at__isnull=True)
        kept_hash = live.values_list("token_hash", flat=True).first()
        if kept_hash is not None:
            live.update(revoked_at=timezone.now(), token_hash=revoked_mark(kept_hash))
            record_event(
                EventType.API_TOKEN_REVOKED,
                actor=actor,
                organisation=token.organisation,
                target=token,
            )
    token.refresh_from_db(fields=["revoked_at", "token_hash"])
    return token


def do_revoke_all_api_tokens(organisation: Organisation, *, actor: User | None) -> int:
    """Revoke every live token of ``organisation``; how many. No audit event of its own: the
    caller (suspension) records one for the whole move, in the same transaction."""
    del actor  # recorded by the caller's event
    now = timezone.now()
    with transaction.atomic():
        live = ApiToken.objects.select_for_update().filter(
            organisation=organisation, revoked_at__isnull=True
        )
        # One row at a time: each gets the mark of its own hash.
        revoked = 0
        for pk, kept_hash in live.values_list("pk", "token_hash"):
            mark = revoked_mark(kept_hash)
            ApiToken.objects.filter(pk=pk).update(revoked_at=now, token_hash=mark)
            revoked += 1
        return revoked
