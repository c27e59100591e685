"""The model of ticket files (gathered by ``travel.models``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safehaven.cases.models import Case
from safehaven.core.coarse_time import this_hour
from safehaven.keys.fields import SealedField, SealedItemMixin, who_and_when


class TicketFile(SealedItemMixin, models.Model):
    """A ticket, e-ticket receipt or boarding pass of a booking. Sealed, under the case's travel
    key: ``content`` (the file's bytes) and ``details`` (JSON: file name, content type, the
    traveller it is for). In clear: the case, the booking, who added it and the hour, and
    ``removed_at``, bound into both seals (a removed file a database writer restores no
    longer opens)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ticket_files")
    booking = models.ForeignKey(
        "travel.Booking", on_delete=models.CASCADE, related_name="ticket_files"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=this_hour)
    removed_at = models.DateTimeField(null=True, blank=True)
    content = SealedField(required=True)
    details = SealedField(required=True)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"ticket file {self.item_id} of booking #{self.booking_id}"

    def sealed_binding(self, name: str) -> str:
        removed = int(self.removed_at.timestamp()) if self.removed_at else "-"
        return (
            f"{super().sealed_binding(name)}|v1|booking={self.booking_id}|removed={removed}"
            f"|{who_and_when('added_by', self.added_by_id, self.added_at)}"
        )
