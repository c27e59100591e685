"""Opening a request's thread: a record of its own (``HelpRequest.thread_record_id``), so that
the messages can be given to someone, an interpreter, without the story. A request made before
threads had a key keeps its thread under the request's own key (``message_record_id``)."""

from __future__ import annotations

from safehaven.accounts.models import User
from safehaven.intake.models import HelpRequest
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record


def open_thread(help_request: HelpRequest, *, user: User, private_key: bytes) -> OpenedRecord:
    """The request's thread opened with the reader's own key; RecordUnavailable if it does not
    open. Reading it is audited by the caller."""
    return open_record(help_request.message_record_id, user=user, private_key=private_key)
