"""Issuing a one-time status code for a request without a codename, and the person choosing
their own codename with it.

A partner's referral is made with no codename (a partner's laptop or API client must never
hold one). A key holder (triage, a supervisor, a caseworker the request is shared with) makes a
code, seven codename words, and sends it over the person's own safe channel, outside the app;
the code opens only the step where the person chooses their codename, until it expires or is
used. The server keeps the code only as its lookup hash and as the wraps it opens.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.access import has_role
from safehaven.accounts.models import Role, User
from safehaven.core.audit import record_event
from safehaven.core.database_failures import refused_when_the_database_fails
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.codename import (
    CODENAME_WORDS,
    codename_lookup_hash,
    new_codename,
    normalise_words,
    wordlist,
)
from safehaven.intake.models import HelpRequest, StatusSession
from safehaven.intake.requester_events import (
    TARGET_TYPE,
    audit_requester_action,
    requester_events,
)
from safehaven.intake.status_codes.session import ChooseSession
from safehaven.intake.status_page.actions import StatusOpening, StatusUnavailable
from safehaven.intake.status_page.session import start_session
from safehaven.keys.codename_wraps import (
    add_codename_wrap,
    add_status_code_wrap,
    remove_codename_wraps,
)
from safehaven.keys.models import RecordKeyWrap, RecordWrapKind
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record

# Long enough for a message over a slow, careful channel to be read; short enough that a
# code lying in a chat history soon opens nothing.
STATUS_CODE_VALID = timedelta(days=7)
KEY_HOLDER_ROLES = (Role.TRIAGE, Role.SUPERVISOR, Role.CASEWORKER)


def _own_codename_refusal() -> str:
    return _(
        "This person already has a codename of their own and opens their page with it. "
        "No code is needed."
    )


class StatusCodeRefused(Exception):
    """No code was made; the message is safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CodeNoLongerValid(Exception):
    """The choose step's code was used, issued again or expired meanwhile: nothing changed."""


def has_own_codename(help_request: HelpRequest) -> bool:
    """The person has a codename they hold (from the public form, or chosen with a code)."""
    return help_request.codename_hash is not None and help_request.status_code_expires_at is None


def may_get_status_code(help_request: HelpRequest) -> bool:
    """A request a key holder may make a code for: live, not withdrawn, no codename of its own."""
    return not (
        help_request.is_withdrawn or help_request.is_shredded or has_own_codename(help_request)
    )


def _refuse_unless_allowed(help_request: HelpRequest, actor: User) -> None:
    # A partner's members may hold the referral's team key: still never a code (they would
    # hold what opens the person's page), whatever other role they have.
    if has_role(actor, Role.PARTNER) or not has_role(actor, *KEY_HOLDER_ROLES):
        raise StatusCodeRefused(_("Only the organisation's key holders can make a status code."))
    if help_request.is_withdrawn or help_request.is_shredded:
        raise StatusCodeRefused(
            _("The person withdrew this request or it was erased: no code can be made for it.")
        )
    if has_own_codename(help_request):
        raise StatusCodeRefused(_own_codename_refusal())


def _opened_records(
    help_request: HelpRequest, *, actor: User, private_key: bytes
) -> list[OpenedRecord]:
    """The request's record and its thread's (one record for a request made before threads
    had their own), opened with the actor's key; RecordUnavailable otherwise."""
    return [
        open_record(record_id, user=actor, private_key=private_key)
        for record_id in help_request.record_ids
    ]


def _holds_a_chosen_codename(help_request: HelpRequest, opened: OpenedRecord) -> bool:
    """Whether the person holds a codename of their own, asked of what the clear columns
    cannot forge: a requester wrap exists, and the audit log shows no code issued since the
    last codename chosen (a database writer could set ``status_code_expires_at`` or clear
    ``codename_hash`` on a request whose person has a codename; replacing its wrap would lock
    them out). The chosen codenames are requester events, found with the opened record."""
    has_wrap = RecordKeyWrap.objects.filter(
        record_key__record_id=help_request.record_id, kind=RecordWrapKind.CODENAME
    ).exists()
    if not has_wrap:
        return False
    last_issued = (
        AuditEvent.objects.filter(
            event_type=EventType.STATUS_CODE_ISSUED,
            target_type=TARGET_TYPE,
            target_ref=str(help_request.record_id),
        )
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    if last_issued is None:
        return True
    return any(
        event.event_type == EventType.CODENAME_CHOSEN and event.sequence > last_issued
        for event in requester_events(help_request, opened)
    )


def _lock(help_request: HelpRequest) -> HelpRequest | None:
    return HelpRequest.objects.select_for_update().filter(pk=help_request.pk).first()


def do_issue_status_code(help_request: HelpRequest, *, actor: User, private_key: bytes) -> str:
    """Make a one-time code for ``help_request`` and return it (to be shown once, never
    stored). A code issued before is replaced: it opens nothing from now on, nor does any
    choose step it opened. Raises StatusCodeRefused (nothing changed), RecordUnavailable when
    the actor's key does not open the request and its thread."""
    _refuse_unless_allowed(help_request, actor)
    records = _opened_records(help_request, actor=actor, private_key=private_key)
    if _holds_a_chosen_codename(help_request, records[0]):
        raise StatusCodeRefused(_own_codename_refusal())
    code = new_codename()
    with transaction.atomic():
        current = _lock(help_request)
        if current is None:
            raise StatusCodeRefused(_("This request was erased: no code can be made for it."))
        _refuse_unless_allowed(current, actor)
        # To the second (it is bound into the wraps), and never the previous code's instant:
        # a choose step opened with that code must close.
        expires_at = (timezone.now() + STATUS_CODE_VALID).replace(microsecond=0)
        if (
            current.status_code_expires_at is not None
            and expires_at <= current.status_code_expires_at
        ):
            expires_at = current.status_code_expires_at + timedelta(seconds=1)
        for opened in records:
            remove_codename_wraps(opened.record_id)
            add_status_code_wrap(opened, code, expires_at=expires_at)
        help_request.codename_hash = codename_lookup_hash(code).hex()
        help_request.status_code_expires_at = expires_at
        help_request.save(update_fields=["codename_hash", "status_code_expires_at"])
        # A choose step of an earlier code is closed by its binding already; drop its row too.
        StatusSession.objects.filter(help_request=help_request).delete()
        record_event(EventType.STATUS_CODE_ISSUED, actor=actor, target=help_request)
    return code


def is_offerable_codename(codename: str) -> bool:
    """Seven or more words of the codename list: what ``new_codename`` makes."""
    words = normalise_words(codename).split()
    known = _known_words()
    return len(words) >= CODENAME_WORDS and all(word in known for word in words)


@cache
def _known_words() -> frozenset[str]:
    # Normalised like a codename: a listed word such as "drop-down" becomes "drop down".
    return frozenset(normalise_words(" ".join(wordlist())).split())


@refused_when_the_database_fails(StatusUnavailable)
def do_choose_codename(session: ChooseSession, codename: str) -> StatusOpening:
    """The person's own codename replaces the code: the request and its thread (opened with the
    code, in ``session``) are wrapped to it, the code's wraps are deleted and the code opens
    nothing any more. Returns the status page opened with the new codename's session.

    Raises CodeNoLongerValid when the code was used, issued again or expired since the step
    opened (nothing changed). ``codename`` must be one the page offered (its form checks)."""
    if not is_offerable_codename(codename):
        raise ValueError("a chosen codename is one the page offered")
    codename = normalise_words(codename)
    help_request = session.help_request
    records = [session.opened] + ([session.thread] if session.thread is not session.opened else [])
    with transaction.atomic():
        current = _lock(help_request)
        if (
            current is None
            or current.is_withdrawn
            or current.is_shredded
            or current.status_code_expires_at != session.code_expires_at
            or session.code_expires_at <= timezone.now()
        ):
            raise CodeNoLongerValid
        for opened in records:
            remove_codename_wraps(opened.record_id)
            add_codename_wrap(opened, codename)
        help_request.codename_hash = codename_lookup_hash(codename).hex()
        help_request.status_code_expires_at = None
        help_request.save(update_fields=["codename_hash", "status_code_expires_at"])
        # Every choose step of this code ends (whoever else opened one with it).
        StatusSession.objects.filter(help_request=help_request).delete()
        audit_requester_action(EventType.CODENAME_CHOSEN, help_request, session.opened)
        cookie_value = start_session(help_request, session.opened, session.thread)
    session.ended = True
    return StatusOpening(help_request, cookie_value, session.opened, session.thread)
