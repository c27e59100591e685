"""Reading and answering a case's messages with the thread keys alone: the request (the story)
and the casework are never opened here, so an interpreter who holds only the threads can."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.http import Http404

from safehaven.accounts.models import User
from safehaven.cases.choices import CompartmentKind
from safehaven.cases.compartments import open_compartment
from safehaven.cases.links import linked_requests, listed_requests
from safehaven.cases.models import Case
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.intake.handling.actions import do_reply_to_request, do_report_forged_messages
from safehaven.intake.models import HelpRequest, RequestMessage
from safehaven.intake.thread.display import StaffThread, thread_for_staff
from safehaven.intake.thread.keys import open_thread
from safehaven.keys.exceptions import RecordUnavailable


@dataclass(frozen=True, repr=False)
class CaseThread:
    """One request's thread on the page; ``thread`` None when the reader's key does not open
    it (an erased request, a request made before threads had a key of their own, no grant)."""

    help_request: HelpRequest
    thread: StaffThread | None

    def __repr__(self) -> str:
        return f"CaseThread(request #{self.help_request.pk})"


def case_requests(case: Case, *, actor: User, private_key: bytes) -> list[HelpRequest]:
    """The help requests of the case's people, oldest first. A reader who opens the casework
    gets only the requests whose sealed link opens (``cases.links``): a link row written into
    the database must not put someone else's thread on this page to be answered. An
    interpreter holds no casework key; the thread keys granted to them decide what they open."""
    casework = open_compartment(case, CompartmentKind.CASEWORK, user=actor, private_key=private_key)
    if casework is not None:
        return sorted(linked_requests(case, casework), key=lambda request: request.pk)
    return listed_requests(case)


def case_request(case: Case, request_id: int, *, actor: User, private_key: bytes) -> HelpRequest:
    """One request of the case; 404 for any other (as if it did not exist)."""
    for help_request in case_requests(case, actor=actor, private_key=private_key):
        if help_request.pk == request_id:
            return help_request
    raise Http404


def do_read_case_messages(
    case: Case, *, actor: User, private_key: bytes, with_notices: bool
) -> list[CaseThread]:
    """Open each request's thread with the reader's own key and record one read of the case's
    messages (when any opened). ``with_notices``: check-ins and staff names too (those who
    open cases); an interpreter reads the messages only, like a partner's page."""
    threads: list[CaseThread] = []
    for help_request in case_requests(case, actor=actor, private_key=private_key):
        try:
            opened = open_thread(help_request, user=actor, private_key=private_key)
        except RecordUnavailable:
            threads.append(CaseThread(help_request, None))
            continue
        thread = thread_for_staff(help_request, opened, for_partner=not with_notices)
        threads.append(CaseThread(help_request, thread))
        do_report_forged_messages(help_request, message_ids=thread.forged_ids, actor=actor)
    opened_count = sum(1 for case_thread in threads if case_thread.thread is not None)
    if opened_count:
        with transaction.atomic():
            record_event(
                EventType.CASE_VIEWED,
                actor=actor,
                organisation=case.organisation,
                target=case,
                detail=f"messages of {opened_count} requests",
            )
    return threads


def do_answer_in_case(
    case: Case, *, request_id: int, actor: User, private_key: bytes, text: str
) -> RequestMessage:
    """Answer the person of one of the case's requests in their thread, with the thread's key
    only (audited by ``do_reply_to_request``). Raises RecordUnavailable, RequestActionRefused;
    404 for a request outside the case."""
    return do_reply_to_request(
        case_request(case, request_id, actor=actor, private_key=private_key),
        actor=actor,
        private_key=private_key,
        text=text,
    )
