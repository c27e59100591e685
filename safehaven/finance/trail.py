"""What the audit log says about finance, read where a database writer cannot rewrite it.

The audit chain is hash-chained and anchored outside the database (``verify_audit``), so it
keeps what finance's own rows cannot prove on their own:

- **which journal entries were posted**: every event that posts names the entries it posted
  (``posted entry 7``, ``posted entries 7-9``, first in its detail). The next entry's number
  comes after the highest one named, however many other events came since, and
  ``verify_ledger`` holds each entry to the one event that posted it: entries deleted from the
  end of the journal (a payment's, so as to pay twice) are found although they leave no gap.
- **which change last set a fund, a threshold or a grant**: the row keeps that event's
  sequence (``event_sequence``, under its tag); a row restored from a backup with its earlier,
  valid tag names an event that is no longer the latest for it.
- **who changed a fund or a threshold, and who confirmed a payment**, for the two-person rules
  (``rules.py``).

Ids only, as every audit detail: never an amount or a name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Model, Q

from safehaven.accounts.models import Organisation, User
from safehaven.core.event_types import EventType
from safehaven.core.models import AuditEvent
from safehaven.finance.choices import EntryKind
from safehaven.finance.models import Fund, Grant, GrantThreshold, JournalEntry

# The events that post journal entries, and the kind of entry each posts.
POSTED_KIND = {
    EventType.DONATION_RECORDED: EntryKind.DONATION,
    EventType.DONATIONS_IMPORTED: EntryKind.DONATION,
    EventType.GRANT_APPROVED: EntryKind.GRANT_APPROVAL,
    EventType.GRANT_CANCELLED: EntryKind.GRANT_RELEASE,
    EventType.DISBURSEMENT_RECORDED: EntryKind.DISBURSEMENT,
    EventType.ENTRY_REVERSED: EntryKind.REVERSAL,
    # Not GRANT_MOVED: a merge moves a grant as a new *request* and posts nothing for it
    # (``grants/merging.py``); an approved grant's approval is reversed under its own
    # ENTRY_REVERSED, and only a finance officer's GRANT_APPROVED posts the new approval.
}
POSTING_EVENTS = tuple(POSTED_KIND)
POSTED_PREFIX = "posted "
POSTED = re.compile(r"^posted (?:entry (\d+)|entries (\d+)-(\d+))(?:,|$)")


def posted_detail(sequences: Sequence[int], *more: str) -> str:
    """The start of a posting event's detail: ``posted entry 7`` or ``posted entries 7-9``
    (consecutive: one action posts under the audit chain's lock), then ``more``."""
    first, last = sequences[0], sequences[-1]
    if list(sequences) != list(range(first, last + 1)):
        raise ValueError("one action posts consecutive entries")
    named = f"posted entry {first}" if first == last else f"posted entries {first}-{last}"
    return ", ".join([named, *more])


def posted_in(detail: str) -> range:
    """The entries a posting event's detail names as posted (empty if none)."""
    found = POSTED.match(detail)
    if found is None:
        return range(0)
    single, first, last = found.groups()
    if single is not None:
        return range(int(single), int(single) + 1)
    return range(int(first), int(last) + 1)


def newest_posted_entry() -> int:
    """The highest entry number any posting event names (0 if none): the newest event of each
    posting type that posted something, each found through the (type, sequence) index."""
    newest = 0
    for event_type in POSTING_EVENTS:
        detail = (
            AuditEvent.objects.filter(event_type=event_type, detail__startswith=POSTED_PREFIX)
            .order_by("-sequence")
            .values_list("detail", flat=True)
            .first()
        )
        if detail is not None:
            newest = max(newest, *posted_in(detail), 0)
    return newest


def posting_events() -> Iterable[AuditEvent]:
    """Every posting event, oldest first (``verify_ledger``)."""
    return (
        AuditEvent.objects.filter(event_type__in=POSTING_EVENTS, detail__startswith=POSTED_PREFIX)
        .order_by("sequence")
        .iterator(chunk_size=2000)
    )


def posted_what_it_says(
    event: AuditEvent, entry: JournalEntry, reversed_sequence: int | None
) -> bool:
    """Whether ``entry`` is of the kind ``event`` posts and records the row it names."""
    if entry.kind != POSTED_KIND.get(EventType(event.event_type)):
        return False
    ref = event.target_ref
    if event.event_type == EventType.DONATIONS_IMPORTED:
        return str(entry.fund_id) == ref
    if event.event_type == EventType.DONATION_RECORDED:
        return str(entry.donation_id) == ref
    if event.event_type == EventType.DISBURSEMENT_RECORDED:
        return str(entry.disbursement_id) == ref
    if event.event_type == EventType.ENTRY_REVERSED:
        return str(reversed_sequence) == ref
    return str(entry.grant_id) == ref


# --- the change that last set a fund, a threshold or a grant ---------------------------------


@dataclass(frozen=True)
class ChangeKind:
    """Events of ``types`` about a row of ``target_type`` with one of ``refs``."""

    types: tuple[EventType, ...]
    target_type: str
    refs: tuple[str, ...]

    def matches(self, event_type: str, target_type: str, target_ref: str) -> bool:
        return (
            event_type in self.types and target_type == self.target_type and target_ref in self.refs
        )


def _changes(row: Fund | GrantThreshold | Grant) -> list[ChangeKind]:
    if isinstance(row, Fund):
        return [
            ChangeKind((EventType.FUND_CREATED, EventType.FUND_CHANGED), "fund", (str(row.pk),))
        ]
    if isinstance(row, GrantThreshold):
        return [ChangeKind((EventType.GRANT_THRESHOLD_SET,), "grantthreshold", (str(row.pk),))]
    decisions = (
        EventType.GRANT_REQUESTED,
        EventType.GRANT_APPROVED,
        EventType.GRANT_REFUSED,
        EventType.GRANT_CANCELLED,
        EventType.GRANT_MOVED,
    )
    kinds = [ChangeKind(decisions, "grant", (str(row.pk),))]
    # Reversing a grant's approval cancels the grant: that event names the approval entry.
    approvals = JournalEntry.objects.filter(grant_id=row.pk, kind=EntryKind.GRANT_APPROVAL)
    sequences = tuple(str(sequence) for sequence in approvals.values_list("sequence", flat=True))
    if sequences:
        kinds.append(ChangeKind((EventType.ENTRY_REVERSED,), "journalentry", sequences))
    return kinds


def is_latest_change(row: Fund | GrantThreshold | Grant) -> bool:
    """Whether the row's ``event_sequence`` is an event that changed this row, and no later
    event did: false for a row restored from a backup (or never stamped)."""
    sequence = row.event_sequence
    if sequence is None:
        return False
    kinds = _changes(row)
    stamped = (
        AuditEvent.objects.filter(sequence=sequence)
        .values_list("event_type", "target_type", "target_ref")
        .first()
    )
    if stamped is None or not any(kind.matches(*stamped) for kind in kinds):
        return False
    return not any(
        AuditEvent.objects.filter(
            event_type__in=kind.types,
            sequence__gt=sequence,
            target_type=kind.target_type,
            target_ref__in=kind.refs,
        ).exists()
        for kind in kinds
    )


def stamp(row: Model, event: AuditEvent, tag_of: Callable[..., bytes]) -> None:
    """Keep ``event`` as the change that last set ``row`` and tag the row again."""
    row.event_sequence = event.sequence  # type: ignore[attr-defined]
    row.tag = tag_of(row)  # type: ignore[attr-defined]
    row.save(update_fields=["event_sequence", "tag"])


# --- who did what, for the two-person rules ---------------------------------------------------


def event_time(sequence: int | None) -> datetime | None:
    return (
        AuditEvent.objects.filter(sequence=sequence).values_list("created_at", flat=True).first()
        if sequence is not None
        else None
    )


def changed_fund_or_thresholds_since(
    actor: User, *, fund: Fund, organisation: Organisation, sequence: int
) -> bool:
    """Whether ``actor`` changed ``fund`` or any of the organisation's grant thresholds after
    audit event ``sequence``."""
    return AuditEvent.objects.filter(
        Q(event_type=EventType.FUND_CHANGED, target_type="fund", target_ref=str(fund.pk))
        | Q(event_type=EventType.GRANT_THRESHOLD_SET, organisation=organisation),
        actor=actor,
        sequence__gt=sequence,
    ).exists()


def threshold_set_by(threshold: GrantThreshold, actor: User, *, since: datetime) -> bool:
    """Whether ``actor`` set ``threshold`` at ``since`` or later."""
    return AuditEvent.objects.filter(
        event_type=EventType.GRANT_THRESHOLD_SET,
        target_type="grantthreshold",
        target_ref=str(threshold.pk),
        actor=actor,
        created_at__gte=since,
    ).exists()


def confirmers(disbursement_ids: Iterable[int]) -> dict[int, int | None]:
    """Who confirmed each of these payments, by payment id, from the audit log (a
    ``confirmed_at`` a database writer set or cleared does not count); unconfirmed ones are
    absent."""
    refs = [str(pk) for pk in disbursement_ids]
    if not refs:
        return {}
    events = AuditEvent.objects.filter(
        event_type=EventType.DISBURSEMENT_CONFIRMED, target_type="disbursement", target_ref__in=refs
    ).values_list("target_ref", "actor_id")
    return {int(ref): actor_id for ref, actor_id in events}
