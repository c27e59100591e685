"""What a journal entry's page shows: its lines (debits and credits per account, fund and
grant), what it records, the entry it reverses or the one that reversed it, whether it still
matches its check, and whether it may be reversed at all (the action decides the rest)."""

from __future__ import annotations

from dataclasses import dataclass

from safehaven.finance.choices import EntryKind
from safehaven.finance.grants.pages import money_text
from safehaven.finance.models import JournalEntry, JournalLine
from safehaven.finance.tags import entry_intact

# A reversal, or the release of a cancelled grant, is never reversed (corrections/actions.py).
NEVER_REVERSED = frozenset({EntryKind.REVERSAL, EntryKind.GRANT_RELEASE})


@dataclass(frozen=True)
class LineRow:
    line: JournalLine
    debit: str
    credit: str


@dataclass(frozen=True)
class EntryPage:
    entry: JournalEntry
    intact: bool
    lines: list[LineRow]
    reversed_by: JournalEntry | None
    may_reverse: bool


def _line_row(line: JournalLine) -> LineRow:
    shown = money_text(abs(line.amount), line.currency)
    return LineRow(line, shown if line.amount > 0 else "", shown if line.amount < 0 else "")


def entry_page(entry: JournalEntry) -> EntryPage:
    lines = list(entry.lines.select_related("fund", "grant").order_by("pk"))
    reversed_by = JournalEntry.objects.filter(reverses=entry).first()
    intact = entry_intact(entry, lines)
    return EntryPage(
        entry=entry,
        intact=intact,
        lines=[_line_row(line) for line in lines],
        reversed_by=reversed_by,
        may_reverse=intact and reversed_by is None and entry.kind not in NEVER_REVERSED,
    )
