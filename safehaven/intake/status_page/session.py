"""A requester's status session: the codename opens it, a cookie carries it for 15 idle minutes.

Not Django's session (that is for staff). The cookie holds a random session id and a random
key; the row, a hash of the id and the request's data key and its thread's under that key
(``keys.records.wrap_for_session``, each bound to its own record id). The cookie's
attributes, and why neither half opens anything alone: docs/intake.md, "The requester's
status session".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils import timezone

from safehaven.core.b64 import from_b64, to_b64
from safehaven.core.crypto import KEY_SIZE
from safehaven.intake.keyed_digests import session_hash
from safehaven.intake.models import HelpRequest, StatusSession
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record_with_session, wrap_for_session

COOKIE_SALT = "safehaven.intake.status-session"
SESSION_ID_SIZE = 16


def cookie_name() -> str:
    # __Secure- makes the browser refuse the cookie over plain HTTP (__Host- would need path=/).
    return "__Secure-sh_status" if settings.SESSION_COOKIE_SECURE else "sh_status"


def cookie_path() -> str:
    # The status pages of the active language; switching language asks for the codename again.
    return reverse("intake-open-status")


def idle_seconds() -> int:
    return int(settings.INTAKE_STATUS_IDLE.total_seconds())


@dataclass(repr=False)
class RequesterSession:
    """One open status session, for the length of one request."""

    row: StatusSession
    help_request: HelpRequest
    opened: OpenedRecord
    # The thread's record (the request's own, ``opened``, for a request made before threads
    # had a key of their own).
    thread: OpenedRecord
    cookie_value: str
    ended: bool = False

    def __repr__(self) -> str:
        return f"<RequesterSession of request #{self.help_request.pk}>"


def forget_expired_sessions(now: datetime) -> None:
    """Expired rows hold nothing usable without their cookie, but there is no reason to keep
    them either: each opening and each page deletes them (and ``shred_withdrawn``, hourly)."""
    StatusSession.objects.filter(expires_at__lte=now).delete()


def start_session(help_request: HelpRequest, opened: OpenedRecord, thread: OpenedRecord) -> str:
    """Store a new session for an opened request and its opened thread; return the cookie value
    (only place the session key exists)."""
    session_id, session_key = os.urandom(SESSION_ID_SIZE), os.urandom(KEY_SIZE)
    reference = session_hash(session_id)
    store_session_row(
        help_request, opened, thread, session_key, row_hash=reference, reference=reference
    )
    return cookie_value(session_id, session_key)


def store_session_row(
    help_request: HelpRequest,
    opened: OpenedRecord,
    thread: OpenedRecord,
    session_key: bytes,
    *,
    row_hash: str,
    reference: str,
) -> None:
    """A ``StatusSession`` row holding the request's and its thread's data keys under
    ``session_key``, bound to ``reference`` (the choose-codename step stores its own rows here
    too, under a hash and reference of its own)."""
    now = timezone.now()
    forget_expired_sessions(now)
    StatusSession.objects.create(
        session_hash=row_hash,
        help_request=help_request,
        sealed_data_key=wrap_for_session(opened, session_key, reference),
        sealed_thread_key=(
            wrap_for_session(thread, session_key, reference)
            if thread.record_id != opened.record_id
            else None
        ),
        expires_at=now + settings.INTAKE_STATUS_IDLE,
    )


def cookie_value(session_id: bytes, session_key: bytes) -> str:
    return f"{to_b64(session_id)}.{to_b64(session_key)}"


def parse_cookie_value(value: object) -> tuple[bytes, bytes] | None:
    """The session id and key a cookie value carries; None for anything else."""
    if not isinstance(value, str):
        return None
    parts = value.split(".")
    if len(parts) != 2:
        return None
    session_id, session_key = from_b64(parts[0]), from_b64(parts[1])
    if session_id is None or session_key is None:
        return None
    if len(session_id) != SESSION_ID_SIZE or len(session_key) != KEY_SIZE:
        return None
    return session_id, session_key


def resume_session(request: HttpRequest) -> RequesterSession | None:
    """The live session of this browser, its request opened; None when there is none, it
    expired, or the request was withdrawn or erased. Each use extends it by the idle time."""
    value = request.get_signed_cookie(
        cookie_name(), default=None, salt=COOKIE_SALT, max_age=idle_seconds()
    )
    parsed = parse_cookie_value(value)
    if parsed is None or not isinstance(value, str):
        return None
    session_id, session_key = parsed
    now = timezone.now()
    row = (
        StatusSession.objects.select_related("help_request")
        .filter(
            session_hash=session_hash(session_id),
            expires_at__gt=now,
            help_request__withdrawn_at__isnull=True,
            help_request__shredded_at__isnull=True,
        )
        .first()
    )
    forget_expired_sessions(now)  # after the lookup: a failing database fails there, unchanged
    if row is None:
        return None
    help_request = row.help_request
    try:
        opened = open_record_with_session(
            help_request.record_id, session_key, bytes(row.sealed_data_key), row.session_hash
        )
        thread = _open_thread(help_request, row, session_key) or opened
    except RecordUnavailable:
        return None
    StatusSession.objects.filter(pk=row.pk).update(expires_at=now + settings.INTAKE_STATUS_IDLE)
    return RequesterSession(row, help_request.open_with(opened), opened, thread, value)


def _open_thread(
    help_request: HelpRequest, row: StatusSession, session_key: bytes
) -> OpenedRecord | None:
    """The thread's own record, or None for a request made before threads had one. A request
    with a thread record but a row without its key opens nothing (RecordUnavailable)."""
    if help_request.thread_record_id is None:
        return None
    if row.sealed_thread_key is None:
        raise RecordUnavailable("This record cannot be opened in this session.")
    return open_record_with_session(
        help_request.thread_record_id, session_key, bytes(row.sealed_thread_key), row.session_hash
    )


def end_session(session: RequesterSession) -> None:
    StatusSession.objects.filter(pk=session.row.pk).delete()
    session.ended = True


def set_status_cookie(response: HttpResponseBase, cookie_value: str) -> None:
    response.set_signed_cookie(
        cookie_name(),
        cookie_value,
        salt=COOKIE_SALT,
        path=cookie_path(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def forget_status_cookie(response: HttpResponseBase) -> None:
    response.delete_cookie(cookie_name(), path=cookie_path(), samesite="Strict")


def has_status_cookie(request: HttpRequest) -> bool:
    return cookie_name() in request.COOKIES
