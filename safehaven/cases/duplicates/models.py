"""Two cases a caseworker found to be different people, so they are not proposed again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from safehaven.core.coarse_time import this_hour


class DistinctCasePair(models.Model):
    """Two cases marked distinct after someone opened both. Nothing sealed; in clear: the two
    case ids (the lower first), who marked them and the hour."""

    first = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(default=this_hour)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="distinct_case_pair_once"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="distinct_case_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"cases #{self.first_id} and #{self.second_id} are distinct"
