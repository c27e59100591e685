"""Looking up the referral code a request came with (codes are made in ``referral_codes/``).

An unknown, revoked or mistyped code, and a code whose team has no key, all take the path of
no code at all (SECURITY.md, T6: no oracle).
"""

from __future__ import annotations

import logging

from safehaven.intake.keyed_digests import referral_code_hash
from safehaven.intake.models import ReferralCode
from safehaven.intake.submission.recipients import has_team_key

logger = logging.getLogger(__name__)


def find_referral_code(code: str) -> ReferralCode | None:
    """The active code matching ``code`` whose team has a key, or None (unknown, revoked and
    keyless alike: all take the same path). An empty code is not looked up: whoever sent it
    knows there was none."""
    if not code:
        return None
    # code_hash is unique, so there is one row at most (and no ordering to compile for it).
    matches = ReferralCode.objects.select_related("organisation", "team").filter(
        code_hash=referral_code_hash(code), revoked_at__isnull=True
    )[:1]
    referral = next(iter(matches), None)
    if referral is None or has_team_key(referral.team_id):
        return referral
    # Ids only: nothing about the person, nor the code.
    logger.error(
        "a referral code of team #%s (organisation #%s) was used, but the team has no key: "
        "the code counts as unknown, the request goes to triage only. Create the team's key "
        "(manage.py init_keys).",
        referral.team_id,
        referral.organisation_id,
    )
    return None
