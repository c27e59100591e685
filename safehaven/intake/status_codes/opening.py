"""What a one-time status code opens on the codename form: only the "choose your codename"
step, never the status page, and nothing once the code has expired or been used.

Called by ``status_page.actions.do_open_status`` for a request waiting for its code. A code
that does not open its wrap (a codename typed on a request whose expiry column was set in the
database, say) opens no step here: the caller goes on as for any codename, so the person's own
codename still opens their page, and an expired or wrong code costs what any miss costs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from safehaven.intake.models import HelpRequest
from safehaven.intake.status_codes.session import start_choose_session
from safehaven.keys.codename_wraps import open_record_with_status_code
from safehaven.keys.exceptions import RecordUnavailable


@dataclass(frozen=True, repr=False)
class ChooseOpening:
    """A code that opened the choose step: the step's cookie, and nothing of the request."""

    help_request: HelpRequest
    cookie_value: str

    def __repr__(self) -> str:
        return "ChooseOpening(<redacted>)"


def is_waiting_for_code(help_request: HelpRequest) -> bool:
    """A code was issued, is not past its expiry, and the request is not withdrawn. (A clear
    column: the code's wrap, with the expiry bound in, decides what actually opens.)"""
    expires_at = help_request.status_code_expires_at
    return expires_at is not None and expires_at > timezone.now() and not help_request.is_withdrawn


def open_choose_step(help_request: HelpRequest, code: str) -> ChooseOpening | None:
    """Open the request and its thread with ``code`` and start the choose step; None when the
    request waits for no code or ``code`` does not open its wraps."""
    expires_at = help_request.status_code_expires_at
    if expires_at is None or not is_waiting_for_code(help_request):
        return None
    try:
        opened = open_record_with_status_code(help_request.record_id, code, expires_at=expires_at)
        thread = opened
        if help_request.thread_record_id is not None:
            thread = open_record_with_status_code(
                help_request.thread_record_id, code, expires_at=expires_at
            )
    except RecordUnavailable:
        return None
    with transaction.atomic():
        cookie_value = start_choose_session(help_request, opened, thread)
    return ChooseOpening(help_request, cookie_value)
