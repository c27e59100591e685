"""The model of journey alerts (gathered by ``travel.models``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safehaven.cases.models import Case
from safehaven.travel.choices import AlertKind


class JourneyAlert(models.Model):
    """An alert that someone must look at a journey now: an expected check-in was missed, or a
    check-in raised it (the danger phrase, or staff after a call). Nothing sealed, and nothing
    in it names a person or a place: on-call staff who hold no key of the case must see it.

    One row per missed check-in, whatever runs the timer or however often (the unique
    constraint on ``expected`` and ``kind``); at most one unacknowledged alert without a
    check-in per case (a danger check-in outside any window), so repeated danger check-ins
    cannot flood the rota with alerts. ``level`` is how far it has escalated along the
    on-call rota; ``notified_at`` the last round of e-mails (to the minute: escalation counts
    30 minutes from it)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="journey_alerts")
    expected = models.ForeignKey(
        "travel.ExpectedCheckIn",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
    )
    kind = models.CharField(max_length=8, choices=AlertKind.choices)
    raised_at = models.DateTimeField(default=timezone.now)
    level = models.PositiveSmallIntegerField(default=0)
    notified_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["expected", "kind"],
                condition=Q(expected__isnull=False),
                name="travel_alert_one_per_check_in",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(expected__isnull=True, acknowledged_at__isnull=True),
                name="travel_alert_one_waiting_without_check_in",
            ),
        ]
        indexes = [
            models.Index(
                fields=["notified_at"],
                condition=Q(acknowledged_at__isnull=True),
                name="travel_alert_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} alert #{self.pk} of case #{self.case_id}"
