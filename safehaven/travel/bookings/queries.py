"""A case's bookings opened with its travel compartment: a row that does not match its seal
(written or changed outside the application, e.g. switched to "confirmed") is forged, never
shown as a booking."""

from __future__ import annotations

from dataclasses import dataclass

from safehaven.cases.models import Case
from safehaven.core.crypto import SealError
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.bookings.sealing import BookingContent, booking_from_json
from safehaven.travel.choices import BookingStatus
from safehaven.travel.models import Booking


@dataclass(frozen=True, repr=False)
class OpenedBooking:
    row: Booking
    content: BookingContent | None  # None: the row does not match its seal (forged)

    @property
    def forged(self) -> bool:
        return self.content is None

    def __repr__(self) -> str:
        return f"OpenedBooking(#{self.row.pk}, forged={self.forged})"


def open_booking(row: Booking, opened: OpenedRecord) -> OpenedBooking:
    try:
        row.open_with(opened)
        content = booking_from_json(row.sealed("details") or "")
    except (SealError, SealedValueUnavailable, ValueError):
        return OpenedBooking(row, None)
    return OpenedBooking(row, content)


def open_bookings(case: Case, opened: OpenedRecord) -> list[OpenedBooking]:
    rows = Booking.objects.filter(case=case).select_related("created_by")
    return [open_booking(row, opened) for row in rows]


def confirmed_bookings(case: Case, opened: OpenedRecord) -> list[BookingContent]:
    """The case's confirmed bookings whose seal opens (a row only marked "confirmed" in the
    database does not count), each opened."""
    rows = Booking.objects.filter(case=case, status=BookingStatus.CONFIRMED)
    contents = (open_booking(row, opened).content for row in rows)
    return [content for content in contents if content is not None]
