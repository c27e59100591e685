"""Receiving a help request: admission (proof-of-work, rate limits), then sealed storage.

The sealing and storing (``seal_new_request``, ``store_sealed_requests``) serve a partner's own
referrals too (``partners.referrals.actions``): the same readers, rows and key-change retry, with
no codename."""

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safehaven.accounts.models import Organisation
from safehaven.core.database_failures import refused_when_the_database_fails
from safehaven.core.event_types import EventType
from safehaven.core.inserts import PreparedRows, prepare_inserts, run_inserts
from safehaven.core.public_forms.proof_of_work import (
    Claim,
    Stamp,
    Verdict,
    check_stamp,
    claim_checked,
    settle_claim,
)
from safehaven.core.public_forms.rate_limits import (
    RateLimited,
    StampNotUsable,
    TooManyWithoutStamp,
    network_of,
)
from safehaven.countries.crises.inflow import count_crisis_inflow, today_utc
from safehaven.countries.crises.matching import active_crisis_for
from safehaven.countries.models import Crisis
from safehaven.countries.risk import RiskTerm, place_risk_terms
from safehaven.intake.choices import RequestChannel
from safehaven.intake.codename import codename_lookup_hash, new_codename, normalise_words
from safehaven.intake.models import HelpRequest, ReferralCode
from safehaven.intake.rate_budgets import ANYONE, LIMITER, Bucket
from safehaven.intake.requester_events import audit_requester_action
from safehaven.intake.submission.contact_hints import new_contact_hints
from safehaven.intake.submission.recipients import Recipients, keys_unchanged, recipients
from safehaven.intake.submission.referral_lookup import find_referral_code
from safehaven.intake.submission.request_draft import HelpRequestDraft
from safehaven.intake.submission.risk import assess_risk
from safehaven.intake.submission.sealing import seal_draft
from safehaven.keys.exceptions import KeyActionRefused
from safehaven.keys.records import PreparedRecordKey, prepare_record_key_with, store_record_key

logger = logging.getLogger(__name__)


class IntakeUnavailable(Exception):
    """Requests cannot be stored just now (the key layer is not set up); nothing was saved."""

    message = _(
        "Your request could not be sent just now. What you wrote is still here: please try "
        "again in a little while."
    )


class StampTaken(Exception):
    """The proof-of-work stamp of a request was used by another app server meanwhile: nothing
    was stored."""


class _KeysChanged(Exception):
    """The active team keys changed (a rotation, a new team key) between wrapping a request
    and storing it: it must be wrapped again."""


# Wrapping again after a rotation is needed at most once in practice (rotations are rare and
# made by people); the bound keeps a broken key layer from looping.
KEY_ATTEMPTS = 3


@dataclass(frozen=True, repr=False)
class Receipt:
    codename: str

    @property
    def words(self) -> list[str]:
        return self.codename.split()

    def __repr__(self) -> str:
        return "Receipt(<redacted>)"


def _count_submission(*, paid: bool, client: str) -> None:
    if paid:
        decision = LIMITER.hit(Bucket.SUBMIT_WITH_POW, client)
        if decision.allowed:
            decision = LIMITER.hit(Bucket.SUBMIT_WITH_POW_NETWORK, network_of(client))
    else:
        decision = LIMITER.hit(Bucket.SUBMIT_WITHOUT_POW, client)
        if decision.allowed:
            # Only what each address may send counts towards its network's budget, and only
            # what each network may send towards everyone's.
            decision = LIMITER.hit(Bucket.SUBMIT_WITHOUT_POW_NETWORK, network_of(client))
        if decision.allowed:
            _count_for_anyone()
    if not decision.allowed:
        raise RateLimited(decision.retry_after)


def _count_for_anyone() -> None:
    anyone = LIMITER.hit(Bucket.SUBMIT_WITHOUT_POW_ANYONE, ANYONE)
    if anyone.allowed:
        return
    if anyone.first_refusal:
        # Once per window: operators must know that people without JavaScript are shut out.
        logger.error(
            "requests without proof-of-work from all addresses used up this app server's "
            "budget (INTAKE_RATE_LIMITS['submit_without_pow_anyone']): until the window ends, "
            "people whose browser runs no JavaScript cannot send requests"
        )
    raise TooManyWithoutStamp(anyone.retry_after)


def _settle_alone(claim: Claim) -> None:
    """Mark a claimed stamp used in a transaction of its own: the request it came with was
    refused or failed, and a stamp is good once whatever became of its request."""
    try:
        with transaction.atomic():
            settle_claim(claim)
    except DatabaseError:
        # The database is failing already (that is likely why the request failed); this
        # process still remembers the stamp.
        logger.warning("a used proof-of-work stamp could not be marked in the shared table")


def admit_submission(stamp: Stamp | None, *, client: str) -> Claim | None:
    """Count a submission against the sender's address; raise RateLimited when over.

    A good stamp earns the lenient budget; a missing, stale, forged, replayed or already used
    one counts as none, against the stricter budget. The stamp is checked first (no memory, no
    database) and taken only once the sender is within budget (why: SECURITY.md, "Public
    intake and the status page"). Returns the claim of a good stamp, which
    ``do_create_help_request(..., stamp=claim)`` marks used: admission writes nothing itself.
    """
    checked = check_stamp(stamp) if stamp is not None else None
    if checked is None:
        _count_submission(paid=False, client=client)
        return None
    if not checked.good:
        _count_with_unusable_stamp(client)
        return None
    _count_submission(paid=True, client=client)
    claim = claim_checked(checked)
    if claim.accepted:
        return claim
    if claim.verdict is Verdict.BUSY:
        # The stamp memory is full (a flood): a new stamp would be refused alike, so only
        # "wait" is true advice.
        _count_submission(paid=False, client=client)
    else:
        _count_with_unusable_stamp(client)
    return None


def _count_with_unusable_stamp(client: str) -> None:
    try:
        _count_submission(paid=False, client=client)
    except RateLimited as refusal:
        raise StampNotUsable(refusal.retry_after) from None


@refused_when_the_database_fails(IntakeUnavailable)
def do_receive_help_request(
    draft: HelpRequestDraft, *, stamp: Stamp | None, client: str
) -> Receipt:
    """Admit a new help request from the public form, then store it; return what the person
    must keep. A failing database raises IntakeUnavailable (nothing stored), so that the
    person gets their form back instead of an error page."""
    claim = admit_submission(stamp, client=client)
    if claim is None:
        return do_create_help_request(draft)
    try:
        return do_create_help_request(draft, stamp=claim)
    except StampTaken:
        # Another app server took the same stamp between our check and our transaction: like
        # any replayed stamp, it counts as none (nothing was stored; the stamp is marked).
        _count_with_unusable_stamp(client)
        return do_create_help_request(draft)
    except Exception:
        _settle_alone(claim)
        raise


@dataclass(eq=False, repr=False)
class SealedRequest:
    """A new request sealed and wrapped, with its hints: every row to insert, none saved."""

    help_request: HelpRequest
    keys: PreparedRecordKey
    thread_keys: PreparedRecordKey
    recipients: Recipients
    # The request's and its hints' INSERTs, made before the storing transaction.
    rows: tuple[PreparedRows, ...]


class PlaceLookups:
    """A place's risk terms and the crisis it falls in today, read once per place: the rows of
    a partner's batch come from a few places (``partners.referrals``)."""

    def __init__(self) -> None:
        self.today = timezone.now().date()
        self._known: dict[tuple[str, str | None], tuple[tuple[RiskTerm, ...], Crisis | None]] = {}

    def of(
        self, country: str, region_code: str | None
    ) -> tuple[tuple[RiskTerm, ...], Crisis | None]:
        key = (country, region_code)
        if key not in self._known:
            self._known[key] = (
                tuple(place_risk_terms(country, region_code, on=self.today)),
                active_crisis_for(country, region_code, on=self.today),
            )
        return self._known[key]


def seal_new_request(
    draft: HelpRequestDraft,
    *,
    to: Recipients,
    codename: str | None,
    referred_by: Organisation | None,
    channel: str = RequestChannel.FORM,
    known_as: str | None = None,
    places: PlaceLookups | None = None,
) -> SealedRequest:
    """Everything but the inserts: lookups (read only) and cryptography. A request without a
    ``codename`` (a partner's referral) has no codename wrap and no lookup hash; ``known_as``
    (a partner's) is sealed and gives a name hint."""
    places = places or PlaceLookups()
    today = places.today
    region_code = draft.region_code or None
    place, crisis = places.of(draft.country, region_code)
    risk = assess_risk(draft.risk_indicators, companions=draft.companions, place=place)
    help_request = HelpRequest(
        codename_hash=codename_lookup_hash(codename).hex() if codename is not None else None,
        country=draft.country,
        languages=list(draft.languages),
        page_language=draft.page_language,
        risk_score=risk.score,
        risk_band=risk.band,
        received_month=today.replace(day=1),
        referred_by=referred_by,
        crisis=crisis,
        has_checkin_phrase=bool(draft.checkin_phrase),
        consented_on=today,
        channel=channel,
    )
    # Two records with the same readers: the request's (the story) and its thread's (the
    # messages), so that the thread alone can be given to an interpreter.
    keys, thread_keys = (
        prepare_record_key_with(
            record_id,
            team_keys=to.team_keys,
            escrow=to.escrow,
            codename=normalise_words(codename) if codename is not None else None,
            record_id_is_new=True,
        )
        for record_id in (help_request.record_id, uuid.uuid4())
    )
    help_request.thread_record_id = thread_keys.opened.record_id
    opened = help_request.open_with(keys.opened)
    seal_draft(opened, draft)
    if known_as is not None:
        opened.seal("known_as", known_as)
    hints = new_contact_hints(help_request, draft.contacts, name=known_as or "")
    rows = prepare_inserts([help_request], hints)
    return SealedRequest(
        help_request=help_request, keys=keys, thread_keys=thread_keys, recipients=to, rows=rows
    )


def _seal_request(
    draft: HelpRequestDraft,
    *,
    codename: str,
    referral: ReferralCode | None,
) -> SealedRequest:
    return seal_new_request(
        draft,
        to=recipients(referral),
        codename=codename,
        referred_by=referral.organisation if referral is not None else None,
    )


class KeysKeptChanging(Exception):
    """The team keys changed under every attempt to store new requests: nothing was stored."""


def store_sealed_requests[T](
    seal: Callable[[], Sequence[SealedRequest]],
    *,
    after: Callable[[Sequence[SealedRequest]], T],
    before: Callable[[], None] | None = None,
    durable: bool = True,
) -> T:
    """Seal new requests with ``seal()`` (before any transaction: reads and cryptography only),
    then store them all in one transaction, with ``before()`` first and ``after(sealed)`` last
    (a stamp to mark, an audit event), and return what ``after`` returns.

    They must all be wrapped to one key set (``recipients``): when the active keys are no
    longer those inside the transaction (``keys_unchanged``: a rotation meanwhile), nothing is
    stored and ``seal`` runs again, up to ``KEY_ATTEMPTS`` times before KeysKeptChanging."""
    for _attempt in range(KEY_ATTEMPTS):
        sealed = seal()
        try:
            with transaction.atomic(durable=durable):
                if before is not None:
                    before()
                if sealed and not keys_unchanged(sealed[0].recipients.key_set):
                    raise _KeysChanged
                for one in sealed:
                    store_record_key(one.keys)
                    store_record_key(one.thread_keys)
                    run_inserts(one.rows)
                # The crisis dashboard's daily inflow, in the same transaction: counted once.
                count_crisis_inflow((one.help_request.crisis_id for one in sealed), day=today_utc())
                return after(sealed)
        except _KeysChanged:
            continue
    raise KeysKeptChanging


def do_create_help_request(draft: HelpRequestDraft, *, stamp: Claim | None = None) -> Receipt:
    """Seal and store a help request, committed before this returns.

    The data key, and the key of the request's thread (a record of its own), are each wrapped
    to the triage team, the referring partner's team (when the code is known; an unknown code
    is treated exactly like none), escrow and the codename, and are gone when this returns.
    Raises IntakeUnavailable when the key layer is not set up.

    ``stamp``, an accepted proof-of-work claim, is marked used in the same transaction; raises
    StampTaken (nothing stored) when another app server used it first.

    Only the inserts run inside the transaction (docs/intake.md, "What runs inside the
    transaction, and what before it"); a key change in between is caught there
    (``recipients.keys_unchanged``) and the request wrapped again to the keys then active.
    """
    codename = new_codename()
    referral = find_referral_code(draft.referral_code)

    def settle_stamp() -> None:
        if stamp is not None and not settle_claim(stamp):
            raise StampTaken

    def audit(sealed: Sequence[SealedRequest]) -> Receipt:
        (one,) = sealed
        audit_requester_action(
            EventType.REQUEST_RECEIVED,
            one.help_request,
            one.keys.opened,
            organisation=one.help_request.referred_by,
        )
        return Receipt(codename=codename)

    try:
        # durable: the receipt (the codename) is shown only once this has committed, and
        # SQLite runs with synchronous=FULL, so an answered request survives a crash.
        return store_sealed_requests(
            lambda: [_seal_request(draft, codename=codename, referral=referral)],
            before=settle_stamp,
            after=audit,
        )
    except KeyActionRefused as refusal:
        # The key layer's messages are fixed text (no values), safe for the log.
        logger.error("help request not stored: %s", refusal)
        raise IntakeUnavailable from None
    except KeysKeptChanging:
        logger.error("help request not stored: the team keys kept changing while it was wrapped")
        raise IntakeUnavailable from None
