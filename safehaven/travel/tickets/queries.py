"""A booking's ticket files with their details opened by the case's travel compartment. A row
whose details do not open (written, moved to another booking, restored after its removal or
changed outside the application) is forged: listed as such, never opened as a file. The
files' bytes are opened only to be downloaded (``actions.do_open_ticket_file``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from safehaven.core.crypto import SealError
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.models import Booking, TicketFile
from safehaven.travel.tickets.files import TICKET_TYPES
from safehaven.travel.tickets.sealing import TicketDetails, details_from_json


@dataclass(frozen=True, repr=False)
class OpenedTicketFile:
    row: TicketFile
    details: TicketDetails | None  # None: the row does not match its seal (forged)

    @property
    def forged(self) -> bool:
        return self.details is None

    def __repr__(self) -> str:
        return f"OpenedTicketFile(#{self.row.pk}, forged={self.forged})"


def open_ticket_details(row: TicketFile, opened: OpenedRecord) -> OpenedTicketFile:
    try:
        row.open_with(opened)
        details = details_from_json(row.sealed("details") or "")
    except (SealError, SealedValueUnavailable, ValueError):
        return OpenedTicketFile(row, None)
    if details.content_type not in TICKET_TYPES:
        return OpenedTicketFile(row, None)
    return OpenedTicketFile(row, details)


def ticket_files_of(bookings: Iterable[Booking], opened: OpenedRecord) -> list[OpenedTicketFile]:
    """Every ticket file row of ``bookings`` (removed ones too), each with its details opened."""
    rows = TicketFile.objects.filter(booking__in=list(bookings)).select_related("added_by")
    return [open_ticket_details(row, opened) for row in rows]
