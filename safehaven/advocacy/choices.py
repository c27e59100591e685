"""The words of advocacy: what is asked of a government, and where a request stands."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AdvocacyKind(models.TextChoices):
    EMERGENCY_VISA = "emergency_visa", _("Emergency visas")
    PROTECTION = "protection", _("Protection")


class AdvocacyStatus(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


S = AdvocacyStatus
# The one table of moves: a decision (granted, refused) is final; a government may decide
# without acknowledging first.
MOVES: dict[str, frozenset[str]] = {
    S.DRAFTED: frozenset({S.SENT}),
    S.SENT: frozenset({S.ACKNOWLEDGED, S.GRANTED, S.REFUSED}),
    S.ACKNOWLEDGED: frozenset({S.GRANTED, S.REFUSED}),
    S.GRANTED: frozenset(),
    S.REFUSED: frozenset(),
}
DECISIONS = frozenset({S.GRANTED, S.REFUSED})
# Cases are counted, taken out and people named only while the government has not decided.
OPEN_STATUSES = frozenset({S.DRAFTED, S.SENT, S.ACKNOWLEDGED})
