"""Building the pathways' pages: the staff catalogue with each sheet in every public language,
and the case panel's rows (a case's pathways with their steps opened, due and overdue)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation

from safehaven.cases.models import Case
from safehaven.core.crypto import SealError
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.choices import PathwayState
from safehaven.travel.models import CasePathway, PathwayStep
from safehaven.travel.pathways.catalogue import Pathway, all_pathways, pathway


@dataclass(frozen=True)
class Sheet:
    language: str
    name: str
    paragraphs: list[str]
    direction: str


def sheets(entry: Pathway) -> list[Sheet]:
    """The sheet as the person reads it, in each public language."""
    shown = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            shown.append(
                Sheet(
                    language=code,
                    name=str(name),
                    paragraphs=[str(p) for p in entry.sheet],
                    direction="rtl" if translation.get_language_bidi() else "ltr",
                )
            )
    return shown


def catalogue_context() -> dict[str, object]:
    return {"pathways": [(entry, sheets(entry)) for entry in all_pathways()]}


def _opened(row: Any, name: str, opened: OpenedRecord) -> tuple[str, bool]:
    """The sealed text, and whether the row is forged: its seal is missing (every row the
    application writes has one) or does not open, so its clear columns (state, outcome, days)
    cannot be trusted either."""
    try:
        return row.open_with(opened).sealed(name) or "", False
    except (SealError, SealedValueUnavailable):
        return "", True


@dataclass(frozen=True, repr=False)
class StepRow:
    row: PathwayStep
    title: str
    note: str
    forged: bool
    overdue: bool

    def __repr__(self) -> str:
        return f"StepRow({self.row.pk})"


@dataclass(frozen=True, repr=False)
class PathwayRow:
    row: CasePathway
    entry: Pathway
    notes: str
    forged: bool
    steps: list[StepRow] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"PathwayRow({self.row.pk})"

    @property
    def active(self) -> bool:
        """Active and genuine: only then does the panel offer its actions."""
        return self.row.state == PathwayState.ACTIVE and not self.forged


def case_pathways(case: Case, opened: OpenedRecord, today: datetime.date) -> list[PathwayRow]:
    rows = []
    for row in CasePathway.objects.filter(case=case).select_related("owner"):
        entry = pathway(row.kind)
        notes, forged = _opened(row, "notes", opened)
        steps = []
        for step in PathwayStep.objects.filter(pathway=row).select_related("owner"):
            note, step_forged = _opened(step, "note", opened)
            catalogue_step = entry.step(step.step)
            steps.append(
                StepRow(
                    row=step,
                    title=str(catalogue_step.title) if catalogue_step else step.step,
                    note=note,
                    forged=step_forged,
                    overdue=not forged
                    and row.state == PathwayState.ACTIVE
                    and not step.outcome
                    and step.due_on is not None
                    and step.due_on < today,
                )
            )
        rows.append(PathwayRow(row, entry, notes, forged, steps))
    return rows
