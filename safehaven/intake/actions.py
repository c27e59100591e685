"""Receiving a help request: admission (proof-of-work, rate limits), then storage."""

import math
from dataclasses import dataclass

from django.utils.translation import ngettext

from safehaven.intake.codename import new_codename
from safehaven.intake.draft import HelpRequestDraft
from safehaven.intake.pow import Stamp, Verdict, redeem_stamp
from safehaven.intake.ratelimit import LIMITER, Bucket
from safehaven.intake.risk import assess_risk


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
    """Admit and store a new help request; return what the person must keep."""
    admit_submission(stamp, client=client)
    risk = assess_risk(draft.risk_indicators, companions=draft.companions)
    codename = new_codename()
    # PHASE 2: create the sealed request here, in one transaction, before returning:
    #   - record id (uuid4) and a fresh DEK; seal every identifying field of ``draft`` (see
    #     draft.HelpRequestDraft: situation, region, citizenships, language_other, contacts,
    #     contact_times, may_leave_message, risk_indicators, companions, passport, visas,
    #     referral_code, and HMACs of checkin_phrase / duress_phrase when set);
    #   - in clear: draft.country, draft.languages, draft.page_language, risk.score, risk.band,
    #     month received; the referral code resolved to a partner without telling the person
    #     whether it exists (no oracle, T6);
    #   - wrap the DEK to triage, the referring partner's team, escrow and the codename key;
    #     store codename_lookup_hash(codename); blind indexes of contacts for duplicate hints;
    #   - audit event "request received" (no values); then forget the DEK.
    del draft, risk
    return Receipt(codename=codename)
