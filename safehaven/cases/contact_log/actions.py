"""Log a contact attempt or a support session on a case, and add a casework note.

Each is sealed under the case's casework compartment, which the actor's own key must open
(their wrap as an assigned caseworker, or their triage team's). Attempts and sessions are
refused on a closed case: a person who gets in touch again is a new request, or the case is
reopened first. A note may still be added to a closed case, so that what is learnt later (a
safeguarding concern, a correction) joins the record instead of being lost.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.compartments import open_casework
from safehaven.cases.contact_log.choices import (
    REFERRAL_KINDS,
    ConsentKind,
    ContactChannel,
    ContactOutcome,
    SupportKind,
)
from safehaven.cases.contact_log.models import CaseNote, ContactAttempt, SupportSession
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.event_types import EventType


def _refuse_if_closed(case: Case) -> None:
    """Inside the action's transaction: the case row is locked, so it cannot close meanwhile."""
    if Case.objects.select_for_update().get(pk=case.pk).is_closed:
        raise CaseActionRefused(_("This case is closed: reopen it before logging anything on it."))


def do_log_contact_attempt(
    case: Case,
    *,
    channel: ContactChannel,
    outcome: ContactOutcome,
    next_try_on: datetime.date | None,
    note: str,
    actor: User,
    private_key: bytes,
) -> ContactAttempt:
    """Log one attempt to reach the person, with when to try next (today or later)."""
    if next_try_on is not None and next_try_on < timezone.localdate():
        raise CaseActionRefused(_("The next try cannot be in the past."))
    opened = open_casework(case, actor=actor, private_key=private_key)
    with transaction.atomic():
        _refuse_if_closed(case)
        attempt = ContactAttempt(
            record_id=opened.record_id,
            case=case,
            channel=ContactChannel(channel),
            outcome=ContactOutcome(outcome),
            next_try_on=next_try_on,
            actor=actor,
            at=this_hour(),
        )
        attempt.open_with(opened).seal("note", note)
        attempt.save()
        record_event(
            EventType.CONTACT_LOGGED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"contact attempt #{attempt.pk}",
        )
    return attempt


def do_log_support_session(
    case: Case,
    *,
    kind: SupportKind,
    consent: ConsentKind | None,
    held_on: datetime.date,
    note: str,
    actor: User,
    private_key: bytes,
) -> SupportSession:
    """Log a support session or a referral. A referral needs the person's agreement to the
    referral being made, recorded here; a session held in the future is refused."""
    kind = SupportKind(kind)
    if kind in REFERRAL_KINDS and consent != ConsentKind.REFERRAL:
        raise CaseActionRefused(
            _("A referral needs the person's agreement to it: record their consent first.")
        )
    if kind not in REFERRAL_KINDS and consent == ConsentKind.REFERRAL:
        raise CaseActionRefused(_("This is not a referral: record the person's agreement to it."))
    if held_on > timezone.localdate():
        raise CaseActionRefused(_("A session cannot be logged before it is held."))
    opened = open_casework(case, actor=actor, private_key=private_key)
    with transaction.atomic():
        _refuse_if_closed(case)
        session = SupportSession(
            record_id=opened.record_id,
            case=case,
            kind=kind,
            consent_recorded=consent is not None,
            consent_kind="" if consent is None else ConsentKind(consent),
            held_on=held_on,
            actor=actor,
            at=this_hour(),
        )
        session.open_with(opened).seal("note", note)
        session.save()
        record_event(
            EventType.SUPPORT_LOGGED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"support session #{session.pk}",
        )
    return session


def do_add_case_note(case: Case, *, body: str, actor: User, private_key: bytes) -> CaseNote:
    """Add a casework note (also on a closed case: see the module's docstring)."""
    opened = open_casework(case, actor=actor, private_key=private_key)
    with transaction.atomic():
        note = CaseNote(record_id=opened.record_id, case=case, author=actor, at=this_hour())
        note.open_with(opened).seal("body", body)
        note.save()
        record_event(
            EventType.CASE_NOTE_ADDED,
            actor=actor,
            organisation=case.organisation,
            target=case,
            detail=f"note #{note.pk}",
        )
    return note
