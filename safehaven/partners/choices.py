"""The words of partner organisations: vetting, how a referral came, who wrote a message."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VettingStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    VETTED = "vetted", _("Vetted")
    SUSPENDED = "suspended", _("Suspended")


class MessageDirection(models.TextChoices):
    """Who a referral message is from: the partner or the organisation's staff."""

    FROM_PARTNER = "partner", _("From the partner")
    FROM_STAFF = "staff", _("From the organisation")
