"""The model of the on-call rota (gathered by ``travel.models``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from safehaven.accounts.models import Organisation


class OnCallShift(models.Model):
    """A staff member on call for an organisation's journey alerts from ``starts_at`` to
    ``ends_at``; ``position`` orders who is called first (1) and who next when an alert is
    not acknowledged in time. Nothing sealed: it names staff, never a person helped."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="on_call_shifts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="on_call_shifts"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    position = models.PositiveSmallIntegerField(default=1)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="travel_on_call_shift_ends_after"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "ends_at"], name="travel_on_call_now")]

    def __str__(self) -> str:
        return f"on call #{self.position} of organisation #{self.organisation_id}"
