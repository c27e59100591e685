"""The short session of the "choose your codename" step: a one-time status code opens it, and
it opens nothing else (never the status page).

Built like the status session (``status_page.session``): a cookie with a random id and key, a
``StatusSession`` row with the request's and its thread's data keys under that key. What keeps
the two apart: the row's ``session_hash`` is a hash of the id under a prefix of its own (the
status session's lookup cannot find it), the cookie has its own name, salt and path, and the
keys are bound to a reference naming this step and the code's expiry, so that the status
session cannot open them and a code issued again (or chosen) closes the step.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils import timezone

from safehaven.core.crypto import KEY_SIZE
from safehaven.intake.models import HelpRequest, StatusSession
from safehaven.intake.status_page.session import (
    SESSION_ID_SIZE,
    cookie_value,
    idle_seconds,
    parse_cookie_value,
    store_session_row,
)
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record_with_session

COOKIE_SALT = "safehaven.intake.choose-codename"
_HASH_PREFIX = b"safehaven choose-codename session\x00"


def cookie_name() -> str:
    return "__Secure-sh_choose" if settings.SESSION_COOKIE_SECURE else "sh_choose"


def cookie_path() -> str:
    return reverse("intake-choose-codename")


def _row_hash(session_id: bytes) -> str:
    return hashlib.sha256(_HASH_PREFIX + session_id).hexdigest()


def _reference(row_hash: str, expires_at: datetime) -> str:
    return f"choose-codename:{row_hash}:{int(expires_at.timestamp())}"


@dataclass(repr=False)
class ChooseSession:
    """The choose step opened with a code: the request and its thread, opened."""

    row: StatusSession
    help_request: HelpRequest
    opened: OpenedRecord
    thread: OpenedRecord
    # The code's expiry this step was opened under (the request's, unchanged since).
    code_expires_at: datetime
    ended: bool = False

    def __repr__(self) -> str:
        return f"<ChooseSession of request #{self.help_request.pk}>"


def start_choose_session(
    help_request: HelpRequest, opened: OpenedRecord, thread: OpenedRecord
) -> str:
    """Store a choose step for a request opened with its code; return the cookie value."""
    expires_at = help_request.status_code_expires_at
    if expires_at is None:
        raise ValueError("only a request waiting for its code has a choose step")
    session_id, session_key = os.urandom(SESSION_ID_SIZE), os.urandom(KEY_SIZE)
    row_hash = _row_hash(session_id)
    reference = _reference(row_hash, expires_at)
    store_session_row(
        help_request, opened, thread, session_key, row_hash=row_hash, reference=reference
    )
    return cookie_value(session_id, session_key)


def resume_choose_session(request: HttpRequest) -> ChooseSession | None:
    """This browser's live choose step; None when there is none, it expired, or its code is
    no longer the request's (chosen, issued again, expired, changed in the database)."""
    value = request.get_signed_cookie(
        cookie_name(), default=None, salt=COOKIE_SALT, max_age=idle_seconds()
    )
    parsed = parse_cookie_value(value)
    if parsed is None:
        return None
    session_id, session_key = parsed
    now = timezone.now()
    row = (
        StatusSession.objects.select_related("help_request")
        .filter(
            session_hash=_row_hash(session_id),
            expires_at__gt=now,
            help_request__withdrawn_at__isnull=True,
            help_request__shredded_at__isnull=True,
            help_request__status_code_expires_at__gt=now,
        )
        .first()
    )
    if row is None:
        return None
    help_request = row.help_request
    code_expires_at = help_request.status_code_expires_at
    if code_expires_at is None:  # never: the filter above; for the type checker
        return None
    reference = _reference(row.session_hash, code_expires_at)
    try:
        opened = open_record_with_session(
            help_request.record_id, session_key, bytes(row.sealed_data_key), reference
        )
        thread = opened
        if help_request.thread_record_id is not None:
            if row.sealed_thread_key is None:
                return None
            thread = open_record_with_session(
                help_request.thread_record_id, session_key, bytes(row.sealed_thread_key), reference
            )
    except RecordUnavailable:
        return None
    help_request.open_with(opened)
    return ChooseSession(row, help_request, opened, thread, code_expires_at)


def set_choose_cookie(response: HttpResponseBase, cookie_value: str) -> None:
    response.set_signed_cookie(
        cookie_name(),
        cookie_value,
        salt=COOKIE_SALT,
        path=cookie_path(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def forget_choose_cookie(response: HttpResponseBase) -> None:
    response.delete_cookie(cookie_name(), path=cookie_path(), samesite="Strict")


def has_choose_cookie(request: HttpRequest) -> bool:
    return cookie_name() in request.COOKIES
