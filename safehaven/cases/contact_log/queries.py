"""What the contact log answers without opening anything: the contact tries due for a
caseworker (for their own page), and a case's log opened with casework for its panel."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, QuerySet, Subquery

from safehaven.accounts.models import User
from safehaven.cases.choices import AssignmentRole, CaseState
from safehaven.cases.contact_log.choices import CAUTION_OUTCOMES
from safehaven.cases.contact_log.models import CaseNote, ContactAttempt, SupportSession
from safehaven.cases.models import Case, CaseAssignment
from safehaven.core.crypto import SealError
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord


def latest_attempts() -> QuerySet[ContactAttempt]:
    """Each case's most recent attempt: a later attempt supersedes an earlier next try."""
    newest = ContactAttempt.objects.filter(case=OuterRef("case")).order_by("-at", "-pk")
    return ContactAttempt.objects.filter(pk=Subquery(newest.values("pk")[:1]))


def contact_tries_due(user: User, today: datetime.date) -> QuerySet[ContactAttempt]:
    """The next contact tries due by ``today`` (or overdue) on the open cases ``user`` works
    on: those assigned to them as caseworker, and those whose last attempt they logged. One
    attempt per case, the most recent; soonest first. Nothing is opened: the dates, channel
    and outcome are in clear."""
    assigned = CaseAssignment.objects.filter(user=user, role=AssignmentRole.CASEWORKER)
    return (
        latest_attempts()
        .filter(next_try_on__lte=today)
        .filter(Q(case_id__in=assigned.values("case_id")) | Q(actor=user))
        .exclude(case__state=CaseState.CLOSED)
        .select_related("case")
        .order_by("next_try_on", "case_id")
    )


@dataclass(frozen=True, repr=False)
class LogEntry[Row]:
    row: Row
    text: str
    overdue: bool = False
    due: bool = False

    def __repr__(self) -> str:
        return f"LogEntry({type(self.row).__name__} #{getattr(self.row, 'pk', None)})"


@dataclass(repr=False)
class OpenedLog:
    """A case's contact and support log and its notes, opened; rows that do not match their
    seal (written or changed outside the application) are counted, never shown."""

    attempts: list[LogEntry[ContactAttempt]] = field(default_factory=list)
    sessions: list[LogEntry[SupportSession]] = field(default_factory=list)
    notes: list[LogEntry[CaseNote]] = field(default_factory=list)
    forged: int = 0
    # The most recent attempt whose seal opens reached the wrong person, or it was unsafe to
    # talk (a forged newer "reached" never hides it).
    caution: ContactAttempt | None = None

    def __repr__(self) -> str:
        return f"OpenedLog({len(self.attempts)} attempts, {self.forged} forged)"


def _opens(
    row: ContactAttempt | SupportSession | CaseNote, name: str, opened: OpenedRecord
) -> str | None:
    """The row's text, or None when it is forged: no seal, one that does not open under its
    clear fields, or a row of another record (moved from another case)."""
    try:
        return row.open_with(opened).sealed(name) or ""
    except (SealError, SealedValueUnavailable):
        return None


def open_log(case: Case, opened: OpenedRecord, today: datetime.date) -> OpenedLog:
    log = OpenedLog()
    for attempt in case.contact_attempts.select_related("actor"):  # newest first
        text = _opens(attempt, "note", opened)
        if text is None:
            log.forged += 1
            continue
        newest = not log.attempts
        if newest and attempt.outcome in CAUTION_OUTCOMES:
            log.caution = attempt
        pending = newest and attempt.next_try_on is not None and not case.is_closed
        log.attempts.append(
            LogEntry(
                attempt,
                text,
                overdue=pending and attempt.next_try_on < today,  # type: ignore[operator]
                due=pending and attempt.next_try_on == today,
            )
        )
    for session in case.support_sessions.select_related("actor"):
        text = _opens(session, "note", opened)
        if text is None:
            log.forged += 1
        else:
            log.sessions.append(LogEntry(session, text))
    for note in case.casework_notes.select_related("author"):
        text = _opens(note, "body", opened)
        if text is None:
            log.forged += 1
        else:
            log.notes.append(LogEntry(note, text))
    return log
