"""What retention would erase now: the plan a run (real or dry) works from.

**When a case closed.** A case is due when it is closed and its organisation's CLOSED_CASES
period has passed since it closed. The close is read from three places, and the *latest* of
them counts: the audited close (the newest ``CASE_MOVED`` event "… -> closed" of the case, or
the ``CASES_MERGED`` event that absorbed it), its CLOSED move (``CaseTransition.at``) and
``Case.state_changed_at``. A case without an audited close is never due, nor one moved again
after its audited close. So a database writer who sets a case's state to closed, or moves its
clear times back, does not get it erased early: they must also forge an audit row, which is
appended to the hash chain and checked against the anchors outside the database.

**When a request was declined.** A declined request is one triage closed (status "closed")
that no case holds, neither withdrawn (the withdrawal has its own erasure) nor erased. It
is due when the newest of its audited status changes (``REQUEST_STATUS_CHANGED``) is the one
to "closed" and is older than the period. A request closed without an audited change (a
database write, an import) is never due. A request is every relocating organisation's (it
is wrapped to each one's triage), so its period is the longest of theirs, and none is due
while any relocating organisation has no rule for declined requests.

**When a rule applies.** Only ``RULE_DELAY`` (14 days) after it was last set
(``RetentionRule.set_at``): until then nothing is due under it, for the timer and for "run
now" alike, and the page says when it takes effect. A short rule set by one administrator or
a stolen session is seen (page, audit) and undone before it erases anything.

**What is erased already.** A case with no key of its records left (``cases_with_keys_left``).
``CaseFigures.shredded_month`` and the shred list are not trusted for it: a case they call
erased while its keys remain is still due, and counted in ``RetentionPlan.inconsistent``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from safehaven.accounts.models import Organisation, OrganisationKind
from safehaven.cases.choices import CaseOutcome, CaseState
from safehaven.cases.erasure.actions import cases_with_keys_left
from safehaven.cases.models import Case, CaseCompartment, CaseTransition
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.intake.choices import RequestStatus
from safehaven.intake.models import HelpRequest
from safehaven.keys.models import ShreddedRecord
from safehaven.reports.choices import RetentionTarget
from safehaven.reports.models import CaseFigures, RetentionRule

CHUNK = 500
# A rule applies only this long after it was last set: one administrator (or a stolen
# session) who shortens it cannot erase anything before the others see it on the page and in
# the audit, and can undo it.
RULE_DELAY = datetime.timedelta(days=14)
MERGED_DETAIL = re.compile(r"^case #(\d+) into case #\d+")


@dataclass(frozen=True)
class DueItem:
    """One thing a run erases: its kind, its number, the month its period counts from (UTC)
    and its state. Nothing sealed and no name."""

    kind: RetentionTarget
    pk: int
    organisation_id: int | None
    month: datetime.date
    state: str
    outcome: str = ""

    @property
    def state_label(self) -> str:
        if self.kind == RetentionTarget.CLOSED_CASES:
            return str(CaseState(self.state).label)
        return str(RequestStatus(self.state).label)

    @property
    def outcome_label(self) -> str:
        if not self.outcome:
            return ""
        try:
            return str(CaseOutcome(self.outcome).label)
        except ValueError:
            # Not one of ours (written in the database): the page still shows, the value not.
            return "?"


@dataclass(frozen=True)
class RetentionPlan:
    cases: list[DueItem] = field(default_factory=list)
    requests: list[DueItem] = field(default_factory=list)
    # Due cases the database calls erased while their keys are still there (a figures row
    # marked kept, or record ids on the shred list): a run erases them; counts only.
    inconsistent: int = 0

    @property
    def items(self) -> list[DueItem]:
        return [*self.cases, *self.requests]


def _chunks[T](values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _month(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(datetime.UTC).date().replace(day=1)


def rule_takes_effect(rule: RetentionRule) -> datetime.datetime:
    """When ``rule`` starts to apply: ``RULE_DELAY`` after it was last set."""
    return rule.set_at + RULE_DELAY


def rules_by_organisation(
    target: RetentionTarget, now: datetime.datetime | None = None
) -> dict[int, int]:
    """Each organisation's period for ``target``, of the rules in effect at ``now`` (a rule
    set less than ``RULE_DELAY`` ago is not: nothing is due under it yet)."""
    now = timezone.now() if now is None else now
    rows = RetentionRule.objects.filter(target=target, set_at__lte=now - RULE_DELAY)
    rules = list(rows.values_list("pk", "organisation_id", "after_days"))
    audited = _audited_rule_times([pk for pk, _organisation, _days in rules])
    # A rule counts from its audited setting too: a database writer who moves ``set_at`` back
    # (or writes a rule no action wrote) gains no earlier erasure.
    return {
        organisation: days
        for pk, organisation, days in rules
        if pk in audited and audited[pk] <= now - RULE_DELAY
    }


def _audited_rule_times(rule_ids: Sequence[int]) -> dict[int, datetime.datetime]:
    """When each rule was last set, by the audit trail."""
    latest: dict[int, datetime.datetime] = {}
    events = AuditEvent.objects.filter(
        event_type=EventType.RETENTION_RULE_SET,
        target_type=RetentionRule._meta.model_name,
        target_ref__in=[str(pk) for pk in rule_ids],
    )
    for ref, created in events.values_list("target_ref", "created_at"):
        latest[int(ref)] = max(created, latest.get(int(ref), created))
    return latest


def declined_request_days(now: datetime.datetime | None = None) -> int | None:
    """The period that applies to declined requests: the longest of every relocating
    organisation's, or None while one of them has no rule in effect (see the module's
    docstring)."""
    relocating = set(
        Organisation.objects.filter(kind=OrganisationKind.RELOCATING).values_list("pk", flat=True)
    )
    rules = rules_by_organisation(RetentionTarget.DECLINED_REQUESTS, now)
    if not relocating or not relocating <= set(rules):
        return None
    return max(rules[pk] for pk in relocating)


def _audited_case_closes(case_ids: Sequence[int]) -> dict[int, datetime.datetime | None]:
    """Per case, when its audited close happened; None when its newest audited move is not a
    close (moved again afterwards: something is wrong). Cases without any are left out."""
    closes: dict[int, datetime.datetime | None] = {}
    for chunk in _chunks([str(pk) for pk in case_ids]):
        events = AuditEvent.objects.filter(
            event_type=EventType.CASE_MOVED, target_type="case", target_ref__in=chunk
        ).order_by("sequence")
        for ref, detail, created in events.values_list("target_ref", "detail", "created_at"):
            # The newest move wins: a close followed by another move is not a close.
            closes[int(ref)] = created if detail.endswith(f"-> {CaseState.CLOSED}") else None
    wanted = set(case_ids)
    merges = AuditEvent.objects.filter(event_type=EventType.CASES_MERGED).order_by("sequence")
    for detail, created in merges.values_list("detail", "created_at"):
        found = MERGED_DETAIL.match(detail)
        if found and int(found.group(1)) in wanted:
            closes[int(found.group(1))] = created
    return closes


def _closed_moves(case_ids: Sequence[int]) -> dict[int, datetime.datetime]:
    latest: dict[int, datetime.datetime] = {}
    for chunk in _chunks(case_ids):
        moves = CaseTransition.objects.filter(case_id__in=chunk, to_state=CaseState.CLOSED)
        for case_id, at in moves.values_list("case_id", "at"):
            if case_id not in latest or at > latest[case_id]:
                latest[case_id] = at
    return latest


def case_closed_at(case: Case) -> datetime.datetime | None:
    """When ``case`` closed as retention reads it (the latest of its audited close, its
    CLOSED move and ``state_changed_at``), or None without an audited close."""
    return _closed_at([case]).get(case.pk)


def _closed_at(cases: Sequence[Case]) -> dict[int, datetime.datetime]:
    ids = [case.pk for case in cases]
    audited = _audited_case_closes(ids)
    moves = _closed_moves(ids)
    result = {}
    for case in cases:
        close = audited.get(case.pk)
        if close is None or case.state != CaseState.CLOSED:
            continue
        times = [close, case.state_changed_at]
        if case.pk in moves:
            times.append(moves[case.pk])
        result[case.pk] = max(times)
    return result


def due_cases(now: datetime.datetime) -> list[DueItem]:
    """Closed cases past their organisation's period with a key of theirs left, oldest first.

    Whether a case is erased is the key layer's to say (``cases_with_keys_left``): neither a
    figures row marked kept (``shredded_month``) nor record ids on the shred list exempt a
    case whose keys are still there."""
    rules = rules_by_organisation(RetentionTarget.CLOSED_CASES, now)
    if not rules:
        return []
    by_rule = Q()
    for organisation_id, days in rules.items():
        cutoff = now - datetime.timedelta(days=days)
        # Each of the close times must be past the period, so the clear one narrows it first.
        by_rule |= Q(organisation_id=organisation_id, state_changed_at__lte=cutoff)
    candidates = list(Case.objects.filter(by_rule, state=CaseState.CLOSED).order_by("pk"))
    keyed = cases_with_keys_left(case.pk for case in candidates)
    due = []
    closed = _closed_at([case for case in candidates if case.pk in keyed])
    for case in candidates:
        at = closed.get(case.pk)
        if at is None or at > now - datetime.timedelta(days=rules[case.organisation_id]):
            continue
        due.append(
            DueItem(
                kind=RetentionTarget.CLOSED_CASES,
                pk=case.pk,
                organisation_id=case.organisation_id,
                month=_month(at),
                state=case.state,
                outcome=case.outcome,
            )
        )
    return sorted(due, key=lambda item: (item.month, item.pk))


def inconsistent_cases(case_ids: Sequence[int]) -> int:
    """How many of these cases (keys left) the database calls erased: figures marked kept, or
    a compartment's record id on the shred list."""
    marked: set[int] = set()
    for chunk in _chunks(case_ids):
        kept = CaseFigures.objects.filter(case_id__in=chunk, shredded_month__isnull=False)
        marked |= set(kept.values_list("case_id", flat=True))
        listed = ShreddedRecord.objects.filter(
            record_id__in=CaseCompartment.objects.filter(case_id__in=chunk).values("record_id")
        ).values("record_id")
        compartments = CaseCompartment.objects.filter(record_id__in=listed)
        marked |= set(compartments.values_list("case_id", flat=True))
    return len(marked)


def declined_candidates() -> Iterable[HelpRequest]:
    return (
        HelpRequest.objects.filter(
            status=RequestStatus.CLOSED,
            shredded_at__isnull=True,
            withdrawn_at__isnull=True,
            case_person__isnull=True,
        )
        .only("pk", "record_id", "status")
        .order_by("pk")
    )


def _audited_declines(record_refs: Sequence[str]) -> dict[str, datetime.datetime | None]:
    declines: dict[str, datetime.datetime | None] = {}
    for chunk in _chunks(record_refs):
        events = AuditEvent.objects.filter(
            event_type=EventType.REQUEST_STATUS_CHANGED,
            target_type="helprequest",
            target_ref__in=chunk,
        ).order_by("sequence")
        for ref, detail, created in events.values_list("target_ref", "detail", "created_at"):
            declines[ref] = created if detail.endswith(f"-> {RequestStatus.CLOSED}") else None
    return declines


def due_requests(now: datetime.datetime) -> list[DueItem]:
    """Declined requests past the period, not erased yet, oldest first."""
    days = declined_request_days(now)
    if days is None:
        return []
    cutoff = now - datetime.timedelta(days=days)
    candidates = list(declined_candidates())
    declines = _audited_declines([str(request.record_id) for request in candidates])
    due = []
    for request in candidates:
        at = declines.get(str(request.record_id))
        if at is None or at > cutoff:
            continue
        due.append(
            DueItem(
                kind=RetentionTarget.DECLINED_REQUESTS,
                pk=request.pk,
                organisation_id=None,
                month=_month(at),
                state=request.status,
            )
        )
    return sorted(due, key=lambda item: (item.month, item.pk))


def plan_retention(now: datetime.datetime | None = None) -> RetentionPlan:
    now = timezone.now() if now is None else now
    cases = due_cases(now)
    return RetentionPlan(
        cases=cases,
        requests=due_requests(now),
        inconsistent=inconsistent_cases([item.pk for item in cases]),
    )
