"""Between a help request's sealed fields and the values people typed.

``seal_draft`` seals a new request's fields; ``read_details`` opens them again for a reader of
the request. Neither object shows values in a repr: tracebacks and logs print reprs.
"""

from __future__ import annotations

import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from safehaven.intake.choices import Notice
from safehaven.intake.keyed_digests import phrase_digest
from safehaven.intake.models import HelpRequest
from safehaven.intake.submission.request_draft import HelpRequestDraft

YES, NO = "yes", "no"
# What a request without a danger phrase holds in its place: this mark and random hex, as long
# as a digest (hex of HMAC-SHA256), so the sealed column is never NULL, is as long either way,
# and never equals a typed phrase's digest (which is hex only).
NO_PHRASE_MARK = "-"
PHRASE_DIGEST_LENGTH = 64


def no_phrase_stand_in() -> str:
    return NO_PHRASE_MARK + secrets.token_hex(PHRASE_DIGEST_LENGTH // 2)[1:]


def _is_phrase_digest(sealed_value: str | None) -> bool:
    return bool(sealed_value) and not str(sealed_value).startswith(NO_PHRASE_MARK)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def seal_contacts(
    help_request: HelpRequest, contacts: dict[str, str], contact_times: str, may_leave: bool
) -> None:
    help_request.seal("contacts", _json(contacts))
    help_request.seal("contact_times", contact_times)
    help_request.seal("may_leave_message", YES if may_leave else NO)


def seal_draft(help_request: HelpRequest, draft: HelpRequestDraft) -> None:
    """Seal every identifying field of ``draft`` into ``help_request`` (opened, not saved)."""
    record_id = help_request.record_id
    help_request.seal("situation", draft.situation)
    help_request.seal("region", draft.region)
    help_request.seal("place_region", draft.region_code)
    help_request.seal("citizenships", _json(list(draft.citizenships)))
    help_request.seal("language_other", draft.language_other)
    seal_contacts(help_request, draft.contacts, draft.contact_times, draft.may_leave_message)
    help_request.seal("risk_indicators", _json(sorted(draft.risk_indicators)))
    help_request.seal("companions", str(draft.companions))
    help_request.seal("passport", draft.passport)
    help_request.seal("visas", draft.visas)
    help_request.seal("referral_code", draft.referral_code)
    if draft.checkin_phrase:
        help_request.seal("checkin_phrase_digest", phrase_digest(record_id, draft.checkin_phrase))
    danger = phrase_digest(record_id, draft.duress_phrase) if draft.duress_phrase else None
    help_request.seal("duress_phrase_digest", danger or no_phrase_stand_in())


def _loads(text: str | None, default: Any) -> Any:
    if not text:
        return default
    return json.loads(text)


@dataclass(frozen=True, repr=False)
class RequestDetails:
    """The opened fields of one request, for a reader's page."""

    situation: str
    region: str
    region_code: str
    citizenships: list[str]
    language_other: str
    contacts: dict[str, str]
    contact_times: str
    may_leave_message: bool
    risk_indicators: list[str]
    companions: int
    passport: str
    visas: str
    referral_code: str
    has_danger_phrase: bool

    def __repr__(self) -> str:
        return "RequestDetails(<redacted>)"


def read_details(help_request: HelpRequest) -> RequestDetails:
    """Open every sealed field of ``help_request`` (call ``open_with`` first)."""

    def text(name: str) -> str:
        return help_request.sealed(name) or ""

    return RequestDetails(
        situation=text("situation"),
        region=text("region"),
        region_code=text("place_region"),
        citizenships=_loads(help_request.sealed("citizenships"), []),
        language_other=text("language_other"),
        contacts=_loads(help_request.sealed("contacts"), {}),
        contact_times=text("contact_times"),
        may_leave_message=text("may_leave_message") == YES,
        risk_indicators=_loads(help_request.sealed("risk_indicators"), []),
        companions=int(text("companions") or 0),
        passport=text("passport"),
        visas=text("visas"),
        referral_code=text("referral_code"),
        has_danger_phrase=_is_phrase_digest(help_request.sealed("duress_phrase_digest")),
    )


def match_phrase(help_request: HelpRequest, phrase: str) -> Notice | None:
    """Which notice a phrase typed on the status page calls for: a check-in, a danger
    check-in, or none. Both digests are always compared, so the time taken says nothing."""
    typed = phrase_digest(help_request.record_id, phrase) if phrase else ""
    checkin = help_request.sealed("checkin_phrase_digest") or ""
    danger = help_request.sealed("duress_phrase_digest") or ""
    is_checkin = hmac.compare_digest(typed.encode(), checkin.encode())
    is_danger = hmac.compare_digest(typed.encode(), danger.encode())
    if not typed:
        return None
    if is_danger and _is_phrase_digest(danger):
        return Notice.DANGER
    if is_checkin and checkin:
        return Notice.CHECKED_IN
    return None
