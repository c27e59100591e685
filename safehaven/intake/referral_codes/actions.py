"""Making referral codes: a partner organisation hands one to the people it refers, and their
requests are then wrapped to the partner's team as well as to triage (looked up by
``submission/referral_lookup.py``).

The request form never says whether a code is known: an unknown, revoked or mistyped code
gives the same page, in the same way, as no code at all (SECURITY.md, T6: no oracle). So does a
code whose team has no key (a code made before that was checked): the request goes to triage
alone, and the operators are told.
"""

from __future__ import annotations

import logging
import secrets

from django.db import transaction

from safehaven.accounts.models import Team, TeamKind, User
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.intake.keyed_digests import normalise_referral_code, referral_code_hash
from safehaven.intake.models import ReferralCode
from safehaven.keys.models import TeamKey

logger = logging.getLogger(__name__)

# No 0/O or 1/I: codes are read aloud and copied by hand.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4


class ReferralCodeRefused(Exception):
    """The code cannot be created; the message says why."""


def new_referral_code() -> str:
    """Three groups of four characters: 60 random bits, enough that codes are not guessed."""
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


def do_create_referral_code(
    team: Team, *, actor: User | None, label: str = "", code: str | None = None
) -> str:
    """Create a code for a partner team and return it: it is shown once, only its HMAC is kept.

    ``code`` lets an administrator choose a memorable one (the demo does); otherwise it is
    random.
    """
    if team.kind != TeamKind.PARTNER:
        raise ReferralCodeRefused("Referral codes belong to a partner organisation's team.")
    code = normalise_referral_code(code) if code else new_referral_code()
    digest = referral_code_hash(code)
    with transaction.atomic():
        if not TeamKey.objects.filter(team=team, active=True).exists():
            # The requests it brings could not be wrapped to the team.
            raise ReferralCodeRefused(
                "This team has no key yet, so it could not read the requests its code brings: "
                "create its key first (manage.py init_keys)."
            )
        if ReferralCode.objects.filter(code_hash=digest).exists():
            raise ReferralCodeRefused("This code exists already; choose another.")
        referral = ReferralCode.objects.create(
            code_hash=digest, organisation=team.organisation, team=team, label=label
        )
        # No event type of its own yet: the nearest existing one, with a detail.
        record_event(
            EventType.ORGANISATION_CHANGED,
            actor=actor,
            organisation=team.organisation,
            target=referral,
            detail="referral code added",
        )
    return code
