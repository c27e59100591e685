"""Receiving a help request: admission (proof-of-work, rate limits), then sealed storage."""

import logging
import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from safehaven.accounts.models import Team, TeamKind
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.intake.codename import codename_lookup_hash, new_codename, normalise_words
from safehaven.intake.draft import HelpRequestDraft
from safehaven.intake.hints import replace_contact_hints
from safehaven.intake.models import HelpRequest, ReferralCode
from safehaven.intake.pow import Stamp, Verdict, redeem_stamp
from safehaven.intake.ratelimit import LIMITER, Bucket
from safehaven.intake.referrals import find_referral_code
from safehaven.intake.risk import assess_risk
from safehaven.intake.sealing import seal_draft
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.records import new_record_key

logger = logging.getLogger(__name__)


class RateLimited(Exception):
    """Too many requests from one address; the message is safe to show to the person."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        self.retry_after = retry_after
        self.message = ngettext(
            "Many requests have come from your connection in a short time, so yours was not "
            "sent yet. What you wrote is still here: please wait about %(minutes)d minute, "
            "then press “Send” again.",
            "Many requests have come from your connection in a short time, so yours was not "
            "sent yet. What you wrote is still here: please wait about %(minutes)d minutes, "
            "then press “Send” again.",
            minutes,
        ) % {"minutes": minutes}
        super().__init__(self.message)


class IntakeUnavailable(Exception):
    """Requests cannot be stored just now (the key layer is not set up); nothing was saved."""

    message = _(
        "Your request could not be sent just now. What you wrote is still here: please try "
        "again in a little while."
    )


@dataclass(frozen=True, repr=False)
class Receipt:
    codename: str

    def __repr__(self) -> str:
        return "Receipt(<redacted>)"


def admit_submission(stamp: Stamp | None, *, client: str) -> None:
    """Count a submission against the sender's address; raise RateLimited when over.

    A good stamp earns the lenient budget. A missing, stale, forged or replayed one is treated
    alike, as a submission without proof-of-work: a person whose page sat open for hours or
    whose browser runs no JavaScript still gets through, under the stricter limit.
    """
    paid = stamp is not None and redeem_stamp(stamp) is Verdict.ACCEPTED
    bucket = Bucket.SUBMIT_WITH_POW if paid else Bucket.SUBMIT_WITHOUT_POW
    decision = LIMITER.hit(bucket, client)
    if not decision.allowed:
        raise RateLimited(decision.retry_after)


def do_receive_help_request(
    draft: HelpRequestDraft, *, stamp: Stamp | None, client: str
) -> Receipt:
    """Admit a new help request from the public form, then store it; return what the person
    must keep."""
    admit_submission(stamp, client=client)
    return do_create_help_request(draft)


def _readers_for(referral: ReferralCode | None) -> list[Team]:
    triage = list(
        Team.objects.filter(kind=TeamKind.TRIAGE, keys__active=True).distinct().order_by("pk")
    )
    if not triage:
        # Still stored (escrow and the codename open it), but nobody in triage can read it.
        logger.error("no triage team has a key: a help request is readable through escrow only")
    return [*triage, *([referral.team] if referral is not None else [])]


def do_create_help_request(draft: HelpRequestDraft) -> Receipt:
    """Seal and store a help request, committed before this returns.

    The data key is wrapped to the triage team, the referring partner's team (when the code is
    known; an unknown code is treated exactly like none), escrow and the codename, and is gone
    when this returns. Raises IntakeUnavailable when the key layer is not set up.
    """
    risk = assess_risk(draft.risk_indicators, companions=draft.companions)
    codename = new_codename()
    referral = find_referral_code(draft.referral_code)
    today = timezone.now().date()
    help_request = HelpRequest(
        codename_hash=codename_lookup_hash(codename).hex(),
        country=draft.country,
        languages=list(draft.languages),
        page_language=draft.page_language,
        risk_score=risk.score,
        risk_band=risk.band,
        received_month=today.replace(day=1),
        referred_by=referral.organisation if referral is not None else None,
        has_checkin_phrase=bool(draft.checkin_phrase),
        consented_on=today,
    )
    try:
        # durable: the receipt (the codename) is shown only once this has committed, and
        # SQLite runs with synchronous=FULL, so an answered request survives a crash.
        with transaction.atomic(durable=True):
            opened = new_record_key(
                help_request.record_id,
                readers=_readers_for(referral),
                codename=normalise_words(codename),
            )
            seal_draft(help_request.open_with(opened), draft)
            help_request.save()
            replace_contact_hints(help_request, draft.contacts)
            record_event(
                EventType.REQUEST_RECEIVED,
                target=help_request,
                organisation=help_request.referred_by,
            )
    except KeyActionRefused as refusal:
        # The key layer's messages are fixed text (no values), safe for the log.
        logger.error("help request not stored: %s", refusal)
        raise IntakeUnavailable from None
    return Receipt(codename=codename)
