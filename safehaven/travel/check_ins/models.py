"""The model of check-ins (gathered by ``travel.models``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from safehaven.cases.models import Case
from safehaven.core.coarse_time import this_hour
from safehaven.keys.fields import SealedField, SealedItemMixin, who_and_when
from safehaven.travel.choices import CheckInVia


def _stamp(value: datetime.datetime | None) -> str:
    return str(int(value.timestamp())) if value is not None else "-"


class ExpectedCheckIn(SealedItemMixin, models.Model):
    """A check-in expected during a journey: before departure, at a transit place, on arrival.

    Sealed, under the case's travel key: ``details`` (JSON: where in the journey, the place,
    the time zone the window was given in; always a value, so a row inserted around the
    application is forged) and ``report`` (once checked in: an ordinary check-in or a danger
    signal, and a caseworker's note; sealed to the travel compartment's **inbox** key when the
    person checks in from their status page, with nobody's key present).

    In clear only what the alarm needs, which runs with nobody's key: the window (``opens_at``
    and ``due_by``, each to the hour), the position in the journey, when it was checked in (the
    hour), how, by which staff member, and ``cancelled_at``. The booking, position and window
    are bound into ``details``; the check-in's hour, way and staff member into ``report``.
    A check-in with the danger phrase sets the same clear columns as an ordinary one.

    ``tag`` is the server's HMAC over those clear columns (``check_ins/tags.py``), written by
    every code path that writes them: the alarm counts a check-in without a valid tag as
    missed, and the panel shows it as forged (a database writer cannot make one)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="expected_check_ins")
    booking = models.ForeignKey(
        "travel.Booking", on_delete=models.CASCADE, related_name="expected_check_ins"
    )
    position = models.PositiveSmallIntegerField()
    opens_at = models.DateTimeField()
    due_by = models.DateTimeField()
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_via = models.CharField(
        max_length=12, choices=CheckInVia.choices, default=CheckInVia.NONE, blank=True
    )
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=this_hour)
    details = SealedField(required=True)
    report = SealedField(accepts_inbox=True)
    tag = models.BinaryField(max_length=32, default=b"", editable=False)

    class Meta:
        ordering = ["case", "due_by", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "position"], name="travel_check_in_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(due_by__gt=models.F("opens_at")), name="travel_check_in_window"
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_by"],
                condition=Q(checked_in_at__isnull=True, cancelled_at__isnull=True),
                name="travel_check_in_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"check-in {self.position} of booking #{self.booking_id}"

    def sealed_binding(self, name: str) -> str:
        base = super().sealed_binding(name)
        if name == "report":
            return (
                f"{base}|v1|at={_stamp(self.checked_in_at)}|via={self.checked_in_via}"
                f"|by={self.checked_in_by_id or '-'}"
            )
        return (
            f"{base}|v1|booking={self.booking_id}|position={self.position}"
            f"|opens={_stamp(self.opens_at)}|due={_stamp(self.due_by)}"
            f"|cancelled={_stamp(self.cancelled_at)}"
            f"|{who_and_when('created_by', self.created_by_id, self.created_at)}"
        )

    @property
    def is_waiting(self) -> bool:
        """Neither checked in nor cancelled."""
        return self.checked_in_at is None and self.cancelled_at is None
