"""Add a ticket file to a booking (for one of its travellers or the whole booking), open one to
download it, remove one. The file's bytes and its details (safe file name, type, traveller)
are sealed in the case's travel compartment; in clear only the case, the booking, who added
it and the hour, and when it was removed (bound into both seals). Audit details carry ids
only."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import IO

from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.cases.compartments import refuse_if_closed
from safehaven.cases.exceptions import CaseActionRefused
from safehaven.cases.models import Case, CasePerson
from safehaven.core.audit import record_event
from safehaven.core.coarse_time import this_hour
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.keys.exceptions import SealedValueUnavailable
from safehaven.keys.opened import OpenedRecord
from safehaven.travel.bookings.queries import open_booking
from safehaven.travel.bookings.sealing import BookingContent
from safehaven.travel.choices import BookingStatus
from safehaven.travel.compartment import open_travel
from safehaven.travel.models import Booking, TicketFile
from safehaven.travel.tickets.files import MEGABYTE, TICKET_TYPES, checked_ticket_file
from safehaven.travel.tickets.queries import open_ticket_details
from safehaven.travel.tickets.sealing import TicketDetails, details_to_json

# A household's boarding passes and e-tickets for a few segments, not an archive: the caps keep
# one booking from filling the database. Removed files stay sealed (the audit trail names
# them), so they count towards the bytes: adding and removing cannot grow it without bound.
MAX_FILES_PER_BOOKING = 20
MAX_BYTES_PER_BOOKING = 60 * MEGABYTE


def _forged_message() -> str:
    return _(
        "This ticket file does not match its seal: it cannot be trusted. Tell your administrators."
    )


def _no_key_message() -> str:
    return _("Your key cannot open this case's travel records.")


def _refuse_unless_room(booking: Booking, size: int) -> None:
    files = TicketFile.objects.filter(booking=booking)
    if files.filter(removed_at__isnull=True).count() >= MAX_FILES_PER_BOOKING:
        raise CaseActionRefused(
            _("This booking already holds %(count)d ticket files, the most it can hold.")
            % {"count": MAX_FILES_PER_BOOKING}
        )
    # The ciphertexts' lengths: a few bytes more than the files, so never under the cap.
    stored = files.aggregate(total=Sum(Length("content")))["total"] or 0
    if stored + size > MAX_BYTES_PER_BOOKING:
        raise CaseActionRefused(
            _("This booking's ticket files would take more than %(megabytes)d MB together.")
            % {"megabytes": MAX_BYTES_PER_BOOKING // MEGABYTE}
        )


def _locked_open_booking(
    booking: Booking, *, actor: User, private_key: bytes
) -> tuple[Case, Booking, BookingContent, OpenedRecord]:
    """Inside the caller's transaction: the case and the booking locked, the booking opened
    with the actor's travel key; refused on a closed case, a forged or a cancelled booking."""
    case = Case.objects.select_for_update().select_related("organisation").get(pk=booking.case_id)
    refuse_if_closed(case)
    row = Booking.objects.select_for_update().get(pk=booking.pk, case=case)
    opened = open_travel(case, actor=actor, private_key=private_key)
    if opened is None:
        raise CaseActionRefused(_no_key_message())
    content = open_booking(row, opened).content
    if content is None:
        raise CaseActionRefused(
            _(
                "This booking does not match its seal: it cannot be trusted. "
                "Tell your administrators."
            )
        )
    if row.status == BookingStatus.CANCELLED:
        raise CaseActionRefused(_("This booking was cancelled."))
    return case, row, content, opened


def _event(event_type: EventType, case: Case, row: TicketFile, actor: User, more: str = "") -> None:
    record_event(
        event_type,
        actor=actor,
        organisation=case.organisation,
        target=case,
        detail=f"booking #{row.booking_id} ticket #{row.pk}{more}",
    )


def do_add_ticket_file(
    booking: Booking,
    *,
    upload: IO[bytes],
    traveller: CasePerson | None,
    actor: User,
    private_key: bytes,
) -> TicketFile:
    """Seal a ticket file (a PDF as it is, an image re-encoded without its metadata) into a
    booking that is not cancelled, for ``traveller`` (one of the booking's travellers) or, with
    None, for the whole booking. The upload's name is kept only as a safe base name, sealed.
    Raises CaseActionRefused."""
    refuse_if_closed(booking.case)
    # What costs nothing is counted before the image is decoded, and counted again under the
    # lock: decoding is the costly part and is not done holding the case's row.
    _refuse_unless_room(booking, 0)
    checked = checked_ticket_file(upload, getattr(upload, "name", "") or "")
    with transaction.atomic():
        case, row, content, opened = _locked_open_booking(
            booking, actor=actor, private_key=private_key
        )
        if traveller is not None and traveller.pk not in content.travellers:
            raise CaseActionRefused(_("This person does not travel on this booking."))
        _refuse_unless_room(row, len(checked.content))
        details = TicketDetails(
            checked.name, checked.content_type, None if traveller is None else traveller.pk
        )
        ticket = TicketFile(record_id=opened.record_id, case=case, booking=row, added_by=actor)
        ticket.open_with(opened)
        ticket.seal("content", checked.content)
        ticket.seal("details", details_to_json(details))
        ticket.save()
        person = "the whole booking" if traveller is None else f"person #{traveller.pk}"
        _event(EventType.TICKET_FILE_ADDED, case, ticket, actor, f" for {person}")
    return ticket


@dataclass(frozen=True, repr=False)
class OpenedTicket:
    row: TicketFile
    content: bytes
    details: TicketDetails

    def __repr__(self) -> str:
        return f"OpenedTicket(#{self.row.pk})"

    @property
    def download_name(self) -> str:
        # Never the sealed name, which may name the person or their destination: a browser
        # keeps a download's name in its list and on the disk.
        return (
            f"ticket-{self.row.booking_id}-{self.row.pk}.{TICKET_TYPES[self.details.content_type]}"
        )


def _opened_ticket(row: TicketFile, opened: OpenedRecord) -> OpenedTicket:
    """The row's bytes and details opened; refused when either seal does not open."""
    shown = open_ticket_details(row, opened)
    if shown.details is None:
        raise CaseActionRefused(_forged_message())
    try:
        content = row.sealed_bytes("content")
    except (SealError, SealedValueUnavailable):
        raise CaseActionRefused(_forged_message()) from None
    if content is None:
        raise CaseActionRefused(_forged_message())
    return OpenedTicket(row, content, shown.details)


def do_open_ticket_file(ticket: TicketFile, *, actor: User, private_key: bytes) -> OpenedTicket:
    """Open a ticket file not removed with the reader's travel key and record the read.
    Raises CaseActionRefused (nothing recorded then)."""
    case = Case.objects.select_related("organisation").get(pk=ticket.case_id)
    opened = open_travel(case, actor=actor, private_key=private_key)
    if opened is None:
        raise CaseActionRefused(_no_key_message())
    row = TicketFile.objects.get(pk=ticket.pk)
    if row.removed_at is not None:
        raise CaseActionRefused(_("This ticket file was removed."))
    result = _opened_ticket(row, opened)
    with transaction.atomic():
        _event(EventType.TICKET_FILE_OPENED, case, row, actor)
    return result


def do_remove_ticket_file(
    ticket: TicketFile, *, reason: str = "", actor: User, private_key: bytes
) -> TicketFile:
    """Mark a ticket file removed (kept sealed, no longer listed nor opened), ``reason`` sealed
    with it: both seals are made again with the removal bound in, so it needs the actor's
    travel key and a row a database writer restores no longer opens. Allowed on a cancelled
    booking (nothing is added by it). Raises CaseActionRefused."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update().select_related("organisation").get(pk=ticket.case_id)
        )
        refuse_if_closed(case)
        opened = open_travel(case, actor=actor, private_key=private_key)
        if opened is None:
            raise CaseActionRefused(_no_key_message())
        row = TicketFile.objects.select_for_update().get(pk=ticket.pk)
        if row.removed_at is not None:
            raise CaseActionRefused(_("This ticket file is removed already."))
        current = _opened_ticket(row, opened)
        row.removed_at = this_hour()
        row.seal("content", current.content)
        row.seal(
            "details", details_to_json(replace(current.details, removed_reason=reason.strip()))
        )
        row.save(update_fields=["removed_at", "content", "details"])
        _event(EventType.TICKET_FILE_REMOVED, case, row, actor)
    return row
