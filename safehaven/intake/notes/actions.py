"""Writing an internal note, and opening a request's notes so that no row written around the
application passes for one of ours."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from safehaven.accounts.models import User
from safehaven.core.audit import record_event
from safehaven.core.crypto import SealError
from safehaven.core.event_types import EventType
from safehaven.intake.handling.actions import RequestActionRefused
from safehaven.intake.models import HelpRequest, InternalNote
from safehaven.keys.opened import OpenedRecord
from safehaven.keys.records import open_record


def do_add_internal_note(
    help_request: HelpRequest, *, actor: User, private_key: bytes, text: str
) -> InternalNote:
    """Add a note for the team, sealed under the request's data key, which only a key holder
    opens. The audit event says a note was added, never what it says. Raises
    RecordUnavailable when the actor's key does not open the request."""
    opened = open_record(help_request.record_id, user=actor, private_key=private_key)
    with transaction.atomic():
        locked = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        if locked.is_shredded:
            raise RequestActionRefused(_("This request was erased."))
        note = InternalNote(record_id=locked.record_id, help_request=locked, author=actor)
        note.open_with(opened).seal("body", text)
        note.save()
        record_event(EventType.INTERNAL_NOTE_ADDED, actor=actor, target=locked)
    return note


@dataclass(frozen=True, repr=False)
class OpenedNote:
    note: InternalNote
    body: str

    def __repr__(self) -> str:
        return f"OpenedNote({self.note.item_id})"


@dataclass(repr=False)
class CheckedNotes:
    """A request's notes: those that open under their author and hour, and the forged ones
    (never shown)."""

    notes: list[OpenedNote] = field(default_factory=list)
    forged: list[InternalNote] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"CheckedNotes({len(self.notes)} shown, {len(self.forged)} forged)"


def check_notes(help_request: HelpRequest, opened: OpenedRecord) -> CheckedNotes:
    checked = CheckedNotes()
    for note in help_request.internal_notes.select_related("author"):
        try:
            body = note.open_with(opened).sealed("body")
        except SealError:
            body = None
        if body is None:
            checked.forged.append(note)
        else:
            checked.notes.append(OpenedNote(note, body))
    return checked
