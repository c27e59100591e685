"""The words of reports: what a figure counts, and what retention erases."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    """The stages of the funnel (docs/reports.md says when a case counts in each)."""

    REQUESTS = "requests", _("Asked for help")
    VERIFIED = "verified", _("Verified")
    SUPPORTED = "supported", _("Supported")
    RELOCATED = "relocated", _("Relocated")


class RetentionTarget(models.TextChoices):
    """What a retention rule erases, and from which day its period counts."""

    # From the month the request was declined (its status changed to declined).
    DECLINED_REQUESTS = "declined_requests", _("Declined requests")
    # From the month the case closed.
    CLOSED_CASES = "closed_cases", _("Closed cases")
