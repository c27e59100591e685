"""Reading a case's travel documents with its travel compartment opened: for the case panel
and for the route planner (which passports and visas a person holds today)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from safehaven.cases.models import Case
from safehaven.core.crypto import SealError
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.choices import TravelDocumentKind
from safehaven.travel.models import TravelDocument

PASSPORT_KINDS = (TravelDocumentKind.PASSPORT, TravelDocumentKind.TRAVEL_DOCUMENT)
VISA_KINDS = (TravelDocumentKind.VISA, TravelDocumentKind.RESIDENCE_PERMIT)


@dataclass(frozen=True, repr=False)
class OpenedDocument:
    """A document with its sealed details opened; ``forged`` when its seal does not match
    (written or moved outside the application): its details are then empty and never used."""

    row: TravelDocument
    details: dict[str, Any]
    forged: bool = False

    def __repr__(self) -> str:
        return f"OpenedDocument({self.row.pk})"

    @property
    def valid_until(self) -> datetime.date | None:
        text = self.details.get("valid_until")
        return datetime.date.fromisoformat(text) if text else None

    def valid_on(self, day: datetime.date) -> bool:
        until = self.valid_until
        return not self.forged and until is not None and until >= day


def opened_documents(case: Case, opened: OpenedRecord) -> list[OpenedDocument]:
    """The case's documents not removed, opened with its travel compartment."""
    shown = []
    for row in TravelDocument.objects.filter(case=case, removed_at__isnull=True).select_related(
        "person", "added_by"
    ):
        try:
            details = json.loads(row.open_with(opened).sealed("details") or "{}")
        except (SealError, SealedValueUnavailable, ValueError):
            shown.append(OpenedDocument(row, {}, forged=True))
            continue
        shown.append(OpenedDocument(row, details if isinstance(details, dict) else {}))
    return shown


def documents_for_planning(case: Case, opened_travel: OpenedRecord) -> tuple[list[str], list[str]]:
    """The issuing countries (ISO codes) of the passports and travel documents valid today,
    and the countries of the visas and residence permits valid today, each sorted once. A
    document that does not open (written, restored or changed outside the application) is
    never used."""
    today = timezone.localdate()
    passports: set[str] = set()
    visas: set[str] = set()
    for document in opened_documents(case, opened_travel):
        if document.forged or not document.valid_on(today):
            continue
        if document.row.kind in PASSPORT_KINDS and document.details.get("issuing_country"):
            passports.add(document.details["issuing_country"])
        elif document.row.kind in VISA_KINDS and document.details.get("for_country"):
            visas.add(document.details["for_country"])
    return sorted(passports), sorted(visas)
