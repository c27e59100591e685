"""Tags that prove the server made a team key wrap: an HMAC-SHA256 over the team key, the
recipient and the wrapped bytes, under a key derived (own label) from
``settings.PUBLIC_KEY_TAG_KEY``. A wrap whose tag does not verify holds nothing and raises the
tamper alarm. Why, and why ``suspended`` is not covered: SECURITY.md, "Forged holders and
invitations" (second review under "Outside review of the key layer").
"""

from __future__ import annotations

import functools
import hashlib
import hmac

from django.conf import settings

from safehaven.core.crypto import derive_key
from safehaven.keys.models import TeamKey, TeamKeyWrap
from safehaven.keys.public_key_tags import raise_row_tamper_alarm
from safehaven.keys.wrapping import binding

WRAP_TAG_LABEL = "safehaven team key wrap tag v1"
WRAP_NO_TAG = "does not carry its tag"


@functools.lru_cache(maxsize=4)
def _wrap_tag_key(secret: bytes) -> bytes:
    return derive_key(secret, WRAP_TAG_LABEL)


def team_key_wrap_tag(
    team_key_id: int,
    *,
    user_id: int | None,
    escrow_id: int | None,
    wrapped: bytes,
    secret: bytes | None = None,
) -> bytes:
    """The tag of a wrap of team key ``team_key_id`` to a user or to escrow (exactly one)."""
    if (user_id is None) == (escrow_id is None):
        raise ValueError("a team key wrap has exactly one recipient")
    recipient = ("user", user_id) if user_id is not None else ("escrow", escrow_id)
    key = _wrap_tag_key(settings.PUBLIC_KEY_TAG_KEY if secret is None else secret)
    message = binding(
        "team-key-wrap", team_key_id, *recipient, hashlib.sha256(bytes(wrapped)).digest()
    )
    return hmac.new(key, message, hashlib.sha256).digest()


def expected_tag(wrap: TeamKeyWrap) -> bytes:
    return team_key_wrap_tag(
        wrap.team_key_id,
        user_id=wrap.user_id,
        escrow_id=wrap.escrow_id,
        wrapped=bytes(wrap.wrapped),
    )


def tag_team_key_wrap(wrap: TeamKeyWrap) -> TeamKeyWrap:
    """Tag a wrap this server just made (its team key and recipient set); returns it."""
    wrap.tag = expected_tag(wrap)
    return wrap


def wrap_tag_matches(wrap: TeamKeyWrap) -> bool:
    return hmac.compare_digest(bytes(wrap.tag or b""), expected_tag(wrap))


def verified_holder_ids(team_key: TeamKey, *, include_suspended: bool) -> set[int]:
    """The users holding a wrap of ``team_key`` whose tag verifies; an alarm for each wrap that
    does not."""
    wraps = TeamKeyWrap.objects.filter(team_key=team_key, user__isnull=False)
    if not include_suspended:
        wraps = wraps.filter(suspended=False)
    holder_ids = set()
    for wrap in wraps.only("pk", "team_key", "user", "escrow", "wrapped", "tag").order_by("pk"):
        if wrap.user_id is not None and wrap_tag_matches(wrap):
            holder_ids.add(wrap.user_id)
        else:
            raise_row_tamper_alarm(wrap, kind="team-key", what="wrap", reason=WRAP_NO_TAG)
    return holder_ids
