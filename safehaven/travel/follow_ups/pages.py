"""Building the follow-ups panel's rows: each follow-up with its notes opened, forged rows
marked (a seal missing or not opening: its clear columns cannot be trusted either)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.choices import FollowUpTopic
from safehaven.travel.follow_ups.actions import opened_notes
from safehaven.travel.follow_ups.forms import LogFollowUpForm
from safehaven.travel.models import FollowUp


@dataclass(frozen=True, repr=False)
class FollowUpRow:
    row: FollowUp
    notes: list[tuple[str, str]]
    forged: bool
    overdue: bool
    can_log: bool
    form: LogFollowUpForm | None

    def __repr__(self) -> str:
        return f"FollowUpRow({self.row.pk})"


def case_follow_ups(case: Case, opened: OpenedRecord, today: datetime.date) -> list[FollowUpRow]:
    rows = []
    for row in FollowUp.objects.filter(case=case).select_related("owner"):
        try:
            notes, forged = opened_notes(row, opened), False
        except CaseActionRefused:
            notes, forged = {}, True
        can_log = not forged and not case.is_closed and row.is_open
        rows.append(
            FollowUpRow(
                row=row,
                notes=[(str(t.label), notes[t.value]) for t in FollowUpTopic if notes.get(t.value)],
                forged=forged,
                overdue=can_log and row.due_on < today,
                can_log=can_log,
                form=LogFollowUpForm(auto_id=f"follow-up-{row.pk}-%s") if can_log else None,
            )
        )
    return rows
