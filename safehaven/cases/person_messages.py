"""Fixed messages from staff to the people of a case, in each person's page language: the
workflow's neutral sentence on a move, a pathway's information sheet (``travel``). Never a
route, a place, a date or a name (SECURITY.md, T7): the caller's text is fixed and checked."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

from safehaven.accounts.models import User
from safehaven.cases.links import linked_requests
from safehaven.cases.models import Case
from safehaven.core.audit import record_event
from safehaven.core.event_types import EventType
from safehaven.intake.choices import MessageKind
from safehaven.intake.models import HelpRequest, RequestMessage
from safehaven.intake.thread.keys import open_thread
from safehaven.keys.exceptions import RecordUnavailable
from safehaven.keys.opened import OpenedRecord

Thread = tuple[HelpRequest, OpenedRecord | None]


def people_to_tell(case: Case, casework: OpenedRecord) -> list[HelpRequest]:
    """The requests of the case (linked by a seal that opens) still open to their person."""
    linked = [request.pk for request in linked_requests(case, casework)]
    return list(
        HelpRequest.objects.filter(
            pk__in=linked, withdrawn_at__isnull=True, shredded_at__isnull=True
        ).order_by("pk")
    )


def people_threads(
    case: Case, *, casework: OpenedRecord, actor: User, private_key: bytes
) -> list[Thread]:
    """Each request to tell with its thread opened by the actor's key (None where it does not
    open): the caller decides whether one that does not open refuses the whole action."""
    threads: list[Thread] = []
    for help_request in people_to_tell(case, casework):
        try:
            threads.append(
                (help_request, open_thread(help_request, user=actor, private_key=private_key))
            )
        except RecordUnavailable:
            threads.append((help_request, None))
    return threads


def send_fixed_message(
    threads: list[tuple[HelpRequest, OpenedRecord]], text: Promise, actor: User
) -> list[HelpRequest]:
    """In the caller's transaction: ``text`` (lazy), in each person's page language, to each
    request still open to its person (a withdrawal since the check wins). The requests that
    got it."""
    still_open = set(
        HelpRequest.objects.select_for_update()
        .filter(pk__in=[r.pk for r, _opened in threads], withdrawn_at__isnull=True)
        .values_list("pk", flat=True)
    )
    sent = []
    for help_request, opened in threads:
        if help_request.pk not in still_open:
            continue
        with translation.override(help_request.page_language or settings.LANGUAGE_CODE):
            body = str(text)
        message = RequestMessage(
            record_id=opened.record_id,
            help_request=help_request,
            kind=MessageKind.FROM_STAFF,
            author=actor,
        )
        message.open_with(opened).seal("body", body)
        message.save()
        # The request's own trail shows the message, as it does a reply.
        record_event(EventType.REQUEST_MESSAGE_SENT, actor=actor, target=help_request)
        sent.append(help_request)
    return sent
