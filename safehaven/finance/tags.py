"""Tags that show a finance row was written by the application: an HMAC, under a key derived
from the server's tag secret, over what decides money (a fund's restriction, a grant's
requester and amount, a journal entry, its lines and its source row).

Why: a database writer (SECURITY.md, T1/T5) can change clear columns but cannot make a tag,
so a requester swapped to pass the two-person rule, a grant's amount raised, a payment's entry
deleted to pay twice, or an overdraft switched on are refused (and ``verify_ledger`` names
them). A fund's, threshold's and grant's tag also binds the audit event of the change that
last set the row (``event_sequence``): a row restored from a backup with its earlier, valid
tag names an event that is no longer the latest for it (``finance/trail.py``). The same
secret tags public keys (``keys/public_key_tags.py``); a label of its own keeps the two apart.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Iterable
from datetime import date, datetime

from django.conf import settings

from safehaven.core.crypto import derive_key
from safehaven.finance.models import (
    Disbursement,
    Donation,
    Fund,
    Grant,
    GrantThreshold,
    JournalEntry,
    JournalLine,
)
from safehaven.finance.money import RATE_PLACES, canonical
from safehaven.keys.wrapping import binding

TAG_LABEL = "safehaven finance tag v1"


@functools.lru_cache(maxsize=4)
def _tag_key(secret: bytes) -> bytes:
    return derive_key(secret, TAG_LABEL)


def _part(value: object) -> object:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return f"t{int(value.timestamp())}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def make_tag(kind: str, parts: Iterable[object]) -> bytes:
    message = binding("finance", kind, *(_part(part) for part in parts))
    return hmac.new(_tag_key(settings.PUBLIC_KEY_TAG_KEY), message, hashlib.sha256).digest()


def _matches(stored: bytes | memoryview | None, expected: bytes) -> bool:
    return stored is not None and hmac.compare_digest(bytes(stored), expected)


def fund_tag(fund: Fund) -> bytes:
    return make_tag(
        "fund",
        [
            fund.pk,
            fund.organisation_id,
            fund.currency,
            fund.crisis_id,
            ",".join(sorted(fund.allowed_categories)),
            int(fund.allows_partner_grants),
            int(fund.allows_overdraft),
            fund.event_sequence,
        ],
    )


def threshold_tag(threshold: GrantThreshold) -> bytes:
    return make_tag(
        "threshold",
        [
            threshold.pk,
            threshold.organisation_id,
            threshold.currency,
            canonical(threshold.second_approval_above),
            threshold.event_sequence,
        ],
    )


def grant_tag(grant: Grant) -> bytes:
    return make_tag(
        "grant",
        [
            grant.pk,
            grant.fund_id,
            grant.case_id,
            grant.partner_id,
            grant.category,
            canonical(grant.amount),
            grant.currency,
            grant.requested_by_id,
            grant.requested_at,
            int(grant.needs_second_officer),
            grant.state,
            grant.decided_by_id,
            grant.decided_at,
            grant.event_sequence,
        ],
    )


def _donation_facts(donation: Donation | None) -> list[object]:
    if donation is None:
        return ["-"]
    return [
        donation.pk,
        donation.fund_id,
        canonical(donation.amount),
        canonical(donation.original_amount),
        donation.original_currency,
        canonical(donation.rate, RATE_PLACES),
        donation.rate_on,
        donation.received_on,
    ]


def _disbursement_facts(disbursement: Disbursement | None) -> list[object]:
    if disbursement is None:
        return ["-"]
    return [
        disbursement.pk,
        disbursement.grant_id,
        disbursement.method,
        disbursement.paid_on,
        canonical(disbursement.amount_paid),
        disbursement.currency_paid,
        canonical(disbursement.rate, RATE_PLACES),
        disbursement.rate_on,
        canonical(disbursement.amount),
    ]


def _line_facts(lines: Iterable[JournalLine]) -> list[object]:
    facts = sorted(
        f"{line.account}/{line.fund_id}/{line.grant_id or '-'}/{line.currency}/"
        f"{canonical(line.amount)}"
        for line in lines
    )
    return [len(facts), *facts]


def entry_tag(entry: JournalEntry, lines: Iterable[JournalLine]) -> bytes:
    """The tag of ``entry`` with ``lines``; its source rows are read from the entry's links."""
    return make_tag(
        "entry",
        [
            entry.sequence,
            bytes(entry.previous_tag),
            entry.organisation_id,
            entry.kind,
            entry.fund_id,
            entry.grant_id,
            entry.reverses_id,
            entry.posted_on,
            entry.posted_by_id,
            entry.posted_at,
            *_donation_facts(entry.donation),
            *_disbursement_facts(entry.disbursement),
            *_line_facts(lines),
        ],
    )


def fund_intact(fund: Fund) -> bool:
    return _matches(fund.tag, fund_tag(fund))


def threshold_intact(threshold: GrantThreshold) -> bool:
    return _matches(threshold.tag, threshold_tag(threshold))


def grant_intact(grant: Grant) -> bool:
    return _matches(grant.tag, grant_tag(grant))


def entry_intact(entry: JournalEntry, lines: Iterable[JournalLine]) -> bool:
    return _matches(entry.tag, entry_tag(entry, lines))
